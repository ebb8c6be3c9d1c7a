"""Back and forward through the notes jumped between, like a browser's: the places remembered and going to them."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import PapernotesApp
    from tui.widgets.ask_pane import AnswerSpot

HISTORY_LIMIT = 50
"""Places remembered each way."""


@dataclass(frozen=True)
class Place:
    """Where the reader was: a note and how far down it (or the library), and the answer the jump was made from."""

    note_id: str | None
    """The note shown (None: the library)."""
    scroll_y: float = 0.0
    answer: AnswerSpot | None = None
    """The ask pane's list the jump was chosen from (a citation, a choice): the pane comes back with it focused."""


class History:
    """Back and forward through the notes jumped between (related notes, citations, links)."""

    def __init__(self) -> None:
        self.back_places: list[Place] = []
        """Places to go back to, the latest last."""
        self.forward_places: list[Place] = []
        """Places gone back from, the latest last."""

    def jump(self, here: Place) -> None:
        """Leaving `here` for somewhere new: `here` is the way back, and the way forward is forgotten."""
        last = self.back_places[-1] if self.back_places else None
        if last is not None and last.note_id == here.note_id and last.answer is None and here.answer is None:
            self.back_places[-1] = here
        else:
            self.back_places.append(here)
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

    def follow(self, moved: Mapping[str, str], present: Set[str]) -> None:
        """The notes changed on disk: a renamed note's places take its new id (`moved`: old id → new), a deleted
        note's are dropped (kept for the answer they lead back to), so back and forward never lead nowhere."""
        for places in (self.back_places, self.forward_places):
            kept = []
            for place in places:
                note_id = moved.get(place.note_id, place.note_id) if place.note_id is not None else None
                if note_id is None or note_id in present:
                    kept.append(replace(place, note_id=note_id))
                elif place.answer is not None:
                    kept.append(replace(place, note_id=None))
            places[:] = kept

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
        """Where the reader is now, with the answer's list focused in the ask pane (None: the library, no answer focused)."""
        answer = self.main.ask_pane.spot() if self.main.asking else None
        note = self.main.reader.note
        if note is None or not self.main.showing_reader:
            return Place(None, answer=answer) if answer is not None else None
        return Place(note.id, self.main.reader.scroll_y, answer)

    @property
    def back_to_answer(self: PapernotesApp) -> bool:
        """Whether the way back leads to an answer in the ask pane (the last jump was chosen from it)."""
        return bool(self.history.back_places) and self.history.back_places[-1].answer is not None

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
        if place.note_id is None:  # the library, the ask pane open over it
            self._wanted = None
            self.remember_position()
            self.main.show_library()
            self.sub_title = "Library"
            self.refresh_bindings()
        else:
            note = self.collection.find(place.note_id) if self.collection is not None else None
            if note is None:
                self.notify("That note is gone from the notes folder.", severity="warning")
                self.refresh_bindings()  # the way back (or forward) changed all the same
                if place.answer is None:
                    return
            else:
                self._wanted = None
                self._show(note, scroll_y=place.scroll_y)
        if place.answer is not None:  # back to the answer the jump came from, even where the pane hid the reader
            self.main.open_ask(place.answer)
