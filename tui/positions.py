"""Provides reading positions: where in a note the reader's view starts, as a source line (so it survives a change of width), read and gone back to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.widgets.reader import Reader


def line_at_top(reader: Reader) -> int | None:
    """The source line (1-based) at the top of the reader's view, None at the note's top (the card shows)."""
    document = reader.document
    model, top = document.model, document.view_top()
    if model is None or top <= 0 or not model.tops:
        return None
    index, row = model.locate(top)
    piece = model.pieces[index]
    lines = max(1, piece.end - piece.start)
    return piece.start + 1 + min(lines - 1, row * lines // max(1, model.heights[index]))


def go_to_line(reader: Reader, note_id: str, line: int, tries: int = 5) -> None:
    """Scroll the reader so source line `line` (1-based) is at the top of its view, if it still shows `note_id`
    (after the next refresh, up to `tries` times, while the note is not laid out at a width yet)."""
    document = reader.document
    model = document.model
    if reader.note is None or reader.note.id != note_id or model is None or not model.pieces:
        return
    index = model.piece_at_line(line - 1)
    if index is None:
        return
    if index >= len(model.heights) or model.width <= 0:  # not laid out yet (the reader was just shown)
        if tries > 0:
            reader.call_after_refresh(go_to_line, reader, note_id, line, tries - 1)
        return
    document.reveal(index)
    piece = model.pieces[index]
    lines = max(1, piece.end - piece.start)
    row = min(model.heights[index] - 1, (line - 1 - piece.start) * model.heights[index] // lines)
    reader.scroll_exactly(reader.spot_y(document.spot(index)) + max(0, row))
