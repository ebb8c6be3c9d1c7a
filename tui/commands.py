"""Provides the command palette's note commands: "Open: <short name>  <title>" for every note, found as the library filter finds it."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.messages import OpenNote
from tui.text import one_line
from tui.widgets.note_list import NoteRow

if TYPE_CHECKING:
    from indexer.notes import Note


LIBRARY_MATCH = 0.5
"""Least score of a note the library filter would list for the query (every word in its short name, title,
file name, year, tags, authors or aliases); notes only the fuzzy match finds score below it."""


def command_text(row: NoteRow) -> str:
    """A note's command as plain text: "Open: CICERO  Human-level play in…" (the title alone when it is the name)."""
    return f"Open: {row.name}" + (f"  {row.rest}" if row.rest else "")


class NoteCommands(Provider):
    """Open any note by typing what the library filter finds it by: short name, alias, file name, year, title, tag or author."""

    def _notes(self) -> list[Note]:
        collection = getattr(self.app, "collection", None)
        return list(collection.notes) if collection is not None else []

    def _alike(self) -> set[str]:
        """The ids of notes whose title and year another note has too (their commands would read the same)."""
        seen: dict[tuple[str, object], list[str]] = {}
        for note in self._notes():
            seen.setdefault((one_line(note.title).casefold(), note.meta.year), []).append(note.id)
        return {note_id for ids in seen.values() if len(ids) > 1 for note_id in ids}

    def _open(self, note_id: str) -> None:
        # A jump, like a related note or a citation: from the reader, [ or Escape comes back (from the library it starts a trail).
        self.app.post_message(OpenNote(note_id, jump=True))

    @staticmethod
    def _help(note: Note, alike: set[str]) -> str:
        """Year and tags; the file first for a note another reads the same as (else when there is nothing else)."""
        details = [note.rel_path] if note.id in alike else []
        details += [str(note.meta.year)] if note.meta.year else []
        details += [", ".join(note.meta.tags)] if note.meta.tags else []
        return escape(one_line(" · ".join(details) or note.rel_path))

    async def discover(self) -> Hits:
        alike = self._alike()
        for position, note in enumerate(self._notes(), start=1):
            row = NoteRow.of(position, note)
            text = command_text(row)
            yield DiscoveryHit(_dim_title(Content(text), row), partial(self._open, note.id), text=text, help=self._help(note, alike))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        terms = query.lower().split()
        alike = self._alike()
        for position, note in enumerate(self._notes(), start=1):
            row = NoteRow.of(position, note)
            text = command_text(row)
            others = [*note.meta.aliases, *note.meta.tags, *note.meta.authors]
            fuzzy = max([matcher.match(text), *(matcher.match(other) * 0.8 for other in others)])
            if row.matches(terms):
                score = LIBRARY_MATCH + 0.15 * (2 - row.rank(terms)) + 0.2 * fuzzy  # ranked as in the library, then fuzzily
            else:
                score = LIBRARY_MATCH * 0.8 * fuzzy
            if score > 0:
                display = matcher.highlight(text) if fuzzy else Content(text)
                yield Hit(score, _dim_title(display, row), partial(self._open, note.id), text=text, help=self._help(note, alike))


def _dim_title(display: Content, row: NoteRow) -> Content:
    """The command with the title after the short name dimmer, as in the library."""
    return display.stylize("dim", len(command_text(row)) - len(row.rest)) if row.rest else display
