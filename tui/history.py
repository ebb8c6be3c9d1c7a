"""Back and forward through the notes jumped between, like a browser's: the places remembered and going to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import PapernotesApp

HISTORY_LIMIT = 50
"""Places remembered each way."""


@dataclass(frozen=True)
class Place:
    """Where the reader was: a note and how far down it."""

    note_id: str
    scroll_y: float = 0.0


class History:
    """Back and forward through the notes jumped between (related notes, citations, links)."""

    def __init__(self) -> None:
        self.back_places: list[Place] = []
        """Places to go back to, the latest last."""
        self.forward_places: list[Place] = []
        """Places gone back from, the latest last."""

    def jump(self, here: Place) -> None:
        """Leaving `here` for somewhere new: `here` is the way back, and the way forward is forgotten."""
        if not self.back_places or self.back_places[-1].note_id != here.note_id:
            self.back_places.append(here)
        else:
            self.back_places[-1] = here
        del self.back_places[:-HISTORY_LIMIT]
        self.forward_places.clear()

    def back(self, here: Place) -> Place | None:
        """The place to go back to (None when there is none); `here` becomes the way forward."""
        if not self.back_places:
            return None
        self.forward_places.append(here)
        return self.back_places.pop()

    def forward(self, here: Place) -> Place | None:
        """The place to go forward to again (None when there is none)."""
        if not self.forward_places:
            return None
        self.back_places.append(here)
        return self.forward_places.pop()

    def clear(self) -> None:
        """Forget everything (a note opened from the library starts a new trail)."""
        self.back_places.clear()
        self.forward_places.clear()


class BackForward:
    """The app's part that goes back and forward through jumps (mixed into PapernotesApp)."""

    def _history_init(self: PapernotesApp) -> None:
        self.history = History()
        """Back/forward through jumps."""

    def here(self: PapernotesApp) -> Place | None:
        """Where the reader is now (None when no note is shown)."""
        note = self.main.reader.note
        if note is None or not self.main.showing_reader:
            return None
        return Place(note.id, self.main.reader.scroll_y)

    async def go_back(self: PapernotesApp) -> bool:
        """Go back to where the last jump came from; False when there is nowhere to go back to."""
        here = self.here()
        place = self.history.back(here) if here is not None else None
        if place is None:
            return False
        await self._go_to(place)
        return True

    async def go_forward(self: PapernotesApp) -> bool:
        """Redo a jump undone with go_back()."""
        here = self.here()
        place = self.history.forward(here) if here is not None else None
        if place is None:
            return False
        await self._go_to(place)
        return True

    async def _go_to(self: PapernotesApp, place: Place) -> None:
        note = self.collection.find(place.note_id) if self.collection is not None else None
        if note is None:
            self.notify("That note is gone from the notes folder.", severity="warning")
            self.refresh_bindings()  # the way back (or forward) changed all the same
            return
        self._wanted = None
        self._show(note, scroll_y=place.scroll_y)
