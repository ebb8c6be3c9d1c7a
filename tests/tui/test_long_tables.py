"""A note with a table of thousands of rows: its first rows shown at once, keys handled while the rest renders, the lines those of the table rendered whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style

import tui.pieces
from bench.notes_gen import huge_table
from tests.tui.pilot_kit import running
from tui.long_tables import LongTableLines
from tui.piece_lines import PieceLines
from tui.pieces import Piece, pieces_of


def drawn(lines: list[list[Segment]]) -> list[list[tuple[str, Style]]]:
    return [[(segment.text, segment.style or Style()) for segment in line] for line in lines]


def whole(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Piece, ...]:
    """The pieces of `text` with no table left to parse a part at a time."""
    with monkeypatch.context() as patch:
        patch.setattr(tui.pieces, "LONG_TABLE_ROWS", 10**9)
        pieces_of.cache_clear()
        found = pieces_of(text)
    pieces_of.cache_clear()
    return found


async def test_a_huge_table_shows_its_first_rows_and_keys_go_first(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    huge_table(notes, rows=2000, columns=31, name="huge")  # ~460 KB: too wide for 200 columns
    (notes / "short.md").write_text("# Short\n\nOne line.\n", encoding="utf-8")
    async with running(notes, size=(200, 60)) as (app, pilot):
        while app.screen is not app.main:  # the offer to build an index: not now
            app.pop_screen()
            await pilot.pause()
        await pilot.press(*"huge", "enter", "ctrl+a")  # as the user typed it, Ask right behind the open
        assert app.main.showing_reader and app.main.reader.note is not None
        assert app.main.reader.note.id == "huge"
        assert app.main.asking  # ctrl+a was handled ...
        document = app.main.reader.document
        model = document.model
        assert model is not None
        index = next(i for i, p in enumerate(model.pieces) if p.kind == "table")
        table = model.texts[index]
        assert isinstance(table, LongTableLines)
        assert not table.complete(model.inner)  # ... while the table is still being rendered
        rows = [document.render_line(y).text for y in range(60)]
        assert any("shown row by row" in row for row in rows)
        assert any(row.strip() == "model: m0" for row in rows) and any(row.strip() == "c1: 1" for row in rows)


@pytest.mark.parametrize(
    ("rows", "columns", "width", "long_cell"),
    [(300, 3, 198, 0), (300, 3, 50, 400), (150, 12, 90, 0), (150, 31, 198, 0), (150, 31, 120, 0)],
    ids=["narrow", "a long cell wrapped", "12 columns", "31 columns fitting", "31 columns row by row"],
)
def test_a_long_table_rendered_in_parts_draws_the_lines_of_the_table_rendered_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, columns: int, width: int, long_cell: int
) -> None:
    text = huge_table(tmp_path, rows=rows, columns=columns, long_cell=long_cell).read_text(encoding="utf-8")
    # markup in cells (measured from their parse), a wider cell far down (the columns are the whole table's)
    text = text.replace("| m7 |", "| **m7** [x](https://e.com/x) &amp; |").replace("| m120 |", "| `m120_longer_word` |")
    pieces_of.cache_clear()
    lazy = pieces_of(text)[-1]
    assert lazy.kind == "table" and lazy.lazy
    console = Console(width=width + 2)
    options = console.options.update_width(width)
    parts = LongTableLines(lazy, text.split("\n"))
    first = parts.lines(console, options, 20)
    assert 20 <= len(first) and not parts.complete(width)
    reference = PieceLines(whole(text, monkeypatch)[-1]).lines(console, options)
    assert drawn(parts.lines(console, options)) == drawn(reference)
    assert parts.complete(width)


def test_a_short_table_is_parsed_with_its_note() -> None:
    rows = "\n".join(f"| r{i} | {i} |" for i in range(tui.pieces.LONG_TABLE_ROWS))
    pieces_of.cache_clear()
    (table,) = pieces_of(f"| a | b |\n| - | - |\n{rows}\n")
    assert table.kind == "table" and not table.lazy
