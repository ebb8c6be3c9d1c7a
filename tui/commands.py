"""Provides the command palette's note commands: "Open: <title>" for every note."""

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

    def _open(self, note_id: str) -> None:
        # A jump, like a related note or a citation: from the reader, [ or Escape comes back (from the library it starts a trail).
        self.app.post_message(OpenNote(note_id, jump=True))

    @staticmethod
    def _help(note: Note) -> str:
        details = [str(note.meta.year)] if note.meta.year else []
        details += [", ".join(note.meta.tags)] if note.meta.tags else []
        return escape(one_line(" · ".join(details) or note.rel_path))

    async def discover(self) -> Hits:
        for note in self._notes():
            text = f"Open: {one_line(note.title)}"
            yield DiscoveryHit(
                Content(text), partial(self._open, note.id), text=text, help=self._help(note)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
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
                    help=self._help(note),
                )
