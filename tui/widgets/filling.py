"""Provides the note document's filling: the rest of a note rendered after its first screen, the view kept in place."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual import work
from textual.containers import ScrollableContainer

from tui.note_lines import NoteLines
from tui.piece_lines import GUTTER

if TYPE_CHECKING:
    from tui.widgets.document import NoteDocument

FILL_SLICE = 0.008
"""Seconds of rendering per step while the rest of a note is rendered after its first screen (a frame is ~16 ms)."""
FILL_PAUSE = 0.004
"""Seconds between those steps, so keys and paints go first."""
LAYOUT_DELAY = 0.25
"""Seconds a new height waits to be laid out: a layout re-arranges the whole screen (~30 ms here), the
strips need none (rows are found in the note's own tops), so heights settling in steps share one."""
LAYOUT_ROWS = 4_000
"""Document rows past which the wait before a layout grows with the height: Textual's layout costs in
proportion to a widget's height (its spatial map), ~0.3 s for a 64,000-row table shown row by row, so a
note that tall is laid out every 4 s while it fills, not every 0.25 s."""


class Filling:
    """What the note document does while guessed heights become rendered ones (a mixin: `self` is the
    NoteDocument): pieces rendered in short steps nearest the view first, the row at the top of the
    view kept where it is, the document laid out once its height settles."""

    def view_top(self: NoteDocument) -> int:
        """The document row at the top of the reader's view (negative while the card above shows)."""
        scroller = self.parent
        if not isinstance(scroller, ScrollableContainer):
            return 0
        return round(scroller.scroll_y) - self.virtual_region.y - self.styles.padding.top

    def _anchor(self: NoteDocument) -> tuple[int, int, int] | None:
        """(piece, row inside it, view top) to keep in place while pieces above change height."""
        model, top = self.model, self.view_top()
        if model is None or top <= 0 or not model.tops:
            return None
        index, row = model.locate(top)
        return index, row, top

    def _settled(self: NoteDocument, anchor: tuple[int, int, int] | None, *, layout: bool = True) -> None:
        """Heights changed: draw again, keeping the row at the top of the view where it was; lay out
        now (`layout`) or in a moment."""
        model = self.model
        self._strips = {}
        self.refresh()
        if layout:
            self._lay_out()
        elif not self._layout_due:
            self._layout_due = True
            rows = model.total if model is not None else 0
            self.set_timer(LAYOUT_DELAY * max(1.0, rows / LAYOUT_ROWS), self._lay_out)
        if model is None or anchor is None:
            return
        index, row, top = anchor
        moved = model.tops[index] + min(row, model.heights[index] - 1) - top
        if moved and isinstance(self.parent, ScrollableContainer):
            shift_scroll(self.parent, moved)

    def _lay_out(self: NoteDocument) -> None:
        """Lay the document out if its height changed (a layout re-arranges the whole screen)."""
        self._layout_due = False
        if self.content_size.height != (self.model.total if self.model is not None else 0):
            self.refresh(layout=True)
        self._place_pictures()

    def _fill_if_shown(self: NoteDocument, model: NoteLines) -> None:
        if self.model is model:
            self._fill(model)

    @work(exclusive=True, group="fill")
    async def _fill(self: NoteDocument, model: NoteLines) -> None:
        """Render the pieces not seen yet, a slice at a time, nearest the view first."""
        while self.model is model:
            if model.width <= GUTTER:
                break  # hidden, no width: get_content_height fills again once the reader has one
            todo = model.pending(max(0, self.view_top()))
            if not todo:
                break
            anchor = self._anchor()
            deadline = time.perf_counter() + FILL_SLICE
            changed = False
            args = self._render_args()
            for index in todo:
                changed |= model.render([index], *args)
                while not model.exact[index] and time.perf_counter() <= deadline:  # a long paragraph's parts
                    changed |= model.render([index], *args)
                if time.perf_counter() > deadline:
                    break
            if changed:
                self._settled(anchor, layout=False)
            await asyncio.sleep(FILL_PAUSE)
        if self.model is model and self._layout_due:
            self._lay_out()


def shift_scroll(scroller: ScrollableContainer, rows: int) -> None:
    """Move `scroller`'s view by `rows` in the same frame, past its old end if need be (the layout follows)."""
    y = max(0.0, scroller.scroll_y + rows)
    scroller.set_reactive(ScrollableContainer.scroll_y, y)
    scroller.set_reactive(ScrollableContainer.scroll_target_y, y)
    if scroller.show_vertical_scrollbar:
        scroller.vertical_scrollbar.position = y
    if y > scroller.max_scroll_y:
        scroller.refresh(layout=True)  # past the end laid out so far
    else:
        scroller._refresh_scroll()  # what scrolling does, without the whole screen's layout
