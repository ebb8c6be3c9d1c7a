"""Provides the command palette's note commands: "Open: <title>" for every note (notes alike told apart by their files)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.messages import OpenNote
from tui.text import one_line

if TYPE_CHECKING:
    from indexer.notes import Note


class NoteCommands(Provider):
    """Open any note by typing part of its title, a tag or an author."""

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
        for note in self._notes():
            text = f"Open: {one_line(note.title)}"
            yield DiscoveryHit(
                Content(text), partial(self._open, note.id), text=text, help=self._help(note, alike)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        alike = self._alike()
        for note in self._notes():
            text = f"Open: {one_line(note.title)}"
            others = [*note.meta.aliases, *note.meta.tags, *note.meta.authors]
            score = max([matcher.match(text), *(matcher.match(other) * 0.8 for other in others)])
            if score > 0:
                yield Hit(
                    score,
                    Content(text),
                    partial(self._open, note.id),
                    text=text,
                    help=self._help(note, alike),
                )
