"""Tables too wide for the reader are shown row by row with every cell's text; tables that fit are drawn as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from tests.tui.pilot_kit import running
from tui.piece_lines import PieceLines
from tui.pieces import pieces_of

HEADER = ["Method", "Backbone", "Params", "FLOPs", "AP", "AP50", "AP75", "APs", "APm", "APl", "FPS", "Epochs"]
ROWS = [
    ["Mask R-CNN", "ResNet-50", "44M", "260G", "37.1", "58.9", "39.8", "18.9", "39.9", "51.8", "24.1", "36"],
    ["MaskFormer", "Swin-B", "102M", "411G", "44.9", "68.0", "48.2", "23.4", "47.8", "63.3", "11.2", "50"],
    ["Mask2Former", "Swin-L", "216M", "868G", "50.1", "74.3", "54.2", "29.5", "53.4", "71.8", "4.0", "100"],
]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


RESULTS = "# Results\n\n" + table(HEADER, ROWS)
WIDE = "# Wide Table Test\n\n" + table([f"c{i}" for i in range(300)], [[f"v{i}" for i in range(300)]])


def shown(markdown: str, width: int) -> list[str]:
    """The table's lines as the reader renders them at `width`."""
    console = Console(width=width, color_system=None)
    piece = next(p for p in pieces_of(markdown) if p.kind == "table")
    return ["".join(s.text for s in line).rstrip() for line in PieceLines(piece).lines(console, console.options)]


@pytest.mark.parametrize("width", [80, 200])
def test_a_300_column_table_shows_its_first_and_last_cells(width: int) -> None:
    lines = shown(WIDE, width)
    assert "300-column table too wide" in lines[0] and "row by row" in lines[0]
    assert "c0: v0" in lines and "c299: v299" in lines


def test_a_results_table_at_80_columns_keeps_its_row_names_whole() -> None:
    lines = shown(RESULTS, 80)
    assert "12-column table too wide for 80 columns" in lines[0]
    for row in ROWS:
        assert f"Method: {row[0]}" in lines
        assert f"Epochs: {row[-1]}" in lines
    assert not any("…" in line for line in lines)


def test_tables_that_fit_are_drawn_as_tables() -> None:
    lines = shown(RESULTS, 200)  # the same table, wide enough: a grid, one line a row
    assert "Method" in lines[0] and "Epochs" in lines[0] and len(lines) == 2 + len(ROWS)
    assert any(line.split()[:3] == ["Mask2Former", "Swin-L", "216M"] for line in lines)
    small = shown("| metric | value |\n|---|---|\n| AP | 41.2 |\n", 30)
    assert [line.split() for line in small if line.strip("─ ")] == [["metric", "value"], ["AP", "41.2"]]


async def test_the_reader_shows_a_too_wide_table_row_by_row(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "results.md").write_text(RESULTS + "\nAfter the table.\n", encoding="utf-8")
    async with running(notes, size=(80, 40), note="results") as (app, _pilot):
        document = app.main.reader.document
        rows = [document.render_line(y).text for y in range(app.main.reader.scrollable_content_region.height)]
        screen = "\n".join(rows)
        assert "table too wide" in screen and "Method: Mask R-CNN" in screen and "Backbone: ResNet-50" in screen
