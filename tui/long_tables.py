"""Renders a table too long to render at once a part of its rows at a time, into the same lines as rendered whole."""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from tui.piece_lines import PartLines, clickable, is_blank, token_markdown
from tui.pieces import Piece, note_parser, without_images
from tui.wide_tables import UNBOUNDED, Row, plain, record_blocks, record_note, table_rows

if TYPE_CHECKING:
    from markdown_it.token import Token
    from rich.table import Table

PART_CELLS = 64
"""Cells parsed and rendered per step (~5-8 ms here): 2 rows of a 31-column table, 21 of a 3-column one."""
MEASURE_ROWS = 200
"""Rows measured between two checks of whether the table still fits: a table too wide for the reader is
known to be so from its first rows that are (its width only grows with more rows), never measured whole."""
_MARKUP = re.compile(r"[\\`*_\[\]<>&!~]|\s{2}|\t")
"""A cell that may not show as written (markup, entities, escapes, runs of space): measured from its parse."""


class _Measured:
    """A cell drawing nothing whose measure is that of a whole column (so every part of the table gets the
    widths Rich gives the table whole)."""

    def __init__(self, measure: tuple[int, int]) -> None:
        self.measure = measure

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(*self.measure)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Any:
        return iter(())


@cache
def _table_markdown() -> Any:
    """Rich's Markdown renderer (from tokens) keeping each table it builds instead of drawing it."""
    from rich.markdown import TableElement

    class Kept(TableElement):
        @classmethod
        def create(cls, markdown: Any, token: Token) -> Kept:
            kept = cls()
            kept.sink = markdown.kept
            return kept

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Any:
            self.sink.extend(super().__rich_console__(console, options))
            return iter(())

    base = token_markdown()

    class Capturing(base):  # type: ignore[misc,valid-type]
        elements = {**base.elements, "table_open": Kept}

        def __init__(self, tokens: list[Token]) -> None:
            super().__init__(tokens)
            self.kept: list[Table] = []

    return Capturing


def _split_row(line: str, columns: int) -> list[str]:
    """A body row's cells as markdown-it's table rule cuts them (`columns` of them, missing ones empty)."""
    from markdown_it.rules_block.table import escapedSplit

    text = line.strip()
    cells = escapedSplit(text) if "\\" in text else text.split("|")
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    cells = [cell.strip() for cell in cells[:columns]]
    return cells + [""] * (columns - len(cells))


class LongTableLines(PartLines):
    """A long table's lines, rendered `PART_CELLS` cells at a time as they are asked for.

    Whether it fits the width and its columns' widths are Rich's for the whole table: every cell is measured
    first (from its text, or its parse when it holds markup; until the table is known not to fit), and each
    part is a Rich table of the header and those rows plus a row drawing nothing that carries the whole
    columns' measures. A table too wide is shown row by row (`tui/wide_tables.py`), a part of rows at a
    time. Safe to use from a thread (one lock).
    """

    def __init__(self, piece: Piece, source: list[str]) -> None:
        super().__init__(piece)
        self._head = source[piece.start : piece.start + 2]
        self._body = source[piece.start + 2 : piece.end]
        self._env = dict(piece.env)
        header, _ = table_rows(piece.tokens)
        self._header: Row = header
        self._columns = max(1, len(header))
        self._step_rows = max(1, PART_CELLS // self._columns)
        self._measures = [_measure(plain(cell)) for cell in header]
        """Each column's (minimum, maximum) width over the rows measured so far."""
        self._measured = 0
        """Body rows measured."""
        self._parts: dict[int, tuple[Token, ...]] = {}
        """Parsed parts (a table's tokens: the header and those rows) by index; the same at any width."""
        self._lock = threading.Lock()
        self._width = 0
        self._wide = False
        """Whether the table is shown row by row at `_width`."""
        self._done: list[list[Segment]] = []
        """Lines rendered at `_width`."""
        self._next = 0
        """Index of the next part to render at `_width`."""

    @property
    def _part_count(self) -> int:
        return max(1, -(-len(self._body) // self._step_rows))

    def cached(self, width: int) -> list[list[Segment]] | None:
        return self._done if self.complete(width) else None

    def complete(self, width: int) -> bool:
        return self._width == width and self._next >= self._part_count

    def lines(
        self, console: Console, options: ConsoleOptions, rows: int | None = None
    ) -> list[list[Segment]]:
        """The lines rendered at `options`' width, at least `rows` of them if there are that many (all
        when `rows` is None)."""
        while True:
            with self._lock:  # taken part by part: the event loop never waits for a whole prefetch
                self._at_width(console, options)
                if self._next >= self._part_count or (rows is not None and len(self._done) >= rows):
                    return self._done
                self._step(console, options)

    def advance(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        with self._lock:
            self._at_width(console, options)
            if self._next < self._part_count:
                self._step(console, options)
            return self._done

    def _at_width(self, console: Console, options: ConsoleOptions) -> None:
        width = options.max_width
        if width != self._width:
            self._width, self._done, self._next = width, [], 0
            self._wide = not self._fits(console, options)

    # --- measuring ---------------------------------------------------------------------------------

    def _fits(self, console: Console, options: ConsoleOptions) -> bool:
        """Whether Rich can give every column its longest word at `options`' width (`wide_tables.fits`),
        measuring rows until it cannot or every row is measured."""
        while True:
            if self._minimum_width(console, options) > options.max_width:
                return False
            if self._measured >= len(self._body):
                return True
            self._measure_rows(self._measured + MEASURE_ROWS)

    def _measure_rows(self, until: int) -> None:
        measures = self._measures
        columns = len(measures)
        for line in self._body[self._measured : until]:
            markup = _MARKUP.search(line) is not None
            for column, cell in enumerate(_split_row(line, columns)):
                if markup and _MARKUP.search(cell):
                    parsed = note_parser().parseInline(cell, dict(self._env))[0]
                    cell = plain(without_images([parsed])[0][0])
                high = len(cell) if cell.isascii() else cell_len(cell)
                low, top = measures[column]
                if high > low:  # else no word of it is longer than the column's longest word
                    words = cell.split()
                    longest = max(map(cell_len, words)) if words else 0
                    measures[column] = (max(low, longest), max(top, high))
        self._measured = min(until, len(self._body))

    def _minimum_width(self, console: Console, options: ConsoleOptions) -> int:
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE, pad_edge=False, show_edge=True, collapse_padding=True)
        for cell in self._header:
            table.add_column(Text(plain(cell)))
        table.add_row(*(_Measured(measure) for measure in self._measures))
        return Measurement.get(console, options.update_width(UNBOUNDED), table).minimum

    # --- rendering ---------------------------------------------------------------------------------

    def _part(self, index: int) -> tuple[Token, ...]:
        """Part `index` parsed: the header and its rows, as their own table."""
        found = self._parts.get(index)
        if found is None:
            rows = self._body[index * self._step_rows : (index + 1) * self._step_rows]
            tokens = note_parser(long_tables=False).parse("\n".join([*self._head, *rows]), dict(self._env))
            found = tuple(without_images(tokens)[0])
            self._parts[index] = found
        return found

    def _step(self, console: Console, options: ConsoleOptions) -> None:
        index = self._next
        last = index + 1 >= self._part_count
        render = options.update(height=None)
        if self._wide:
            header, rows = table_rows(self._part(index))
            markdown = token_markdown()(record_blocks(header, rows))
            shown = Group(record_note(len(header), options.max_width, bool(rows)), Text(), markdown) if index == 0 else markdown
            lines = console.render_lines(shown, render, pad=False)
            lines = _trimmed(lines, start=True, end=True)
            if index:
                lines = [[], *lines]  # the blank line Rich leaves between two paragraphs
        else:
            lines = console.render_lines(self._rich_table(index, console, render), render, pad=False)
            # the row carrying the measures draws one blank line above the bottom edge, kept under the last part
            lines = lines[:-2] + (lines[-1:] if last else [])
            lines = _trimmed(lines if index == 0 else lines[1:], start=index == 0, end=last)
        self._next += 1
        self._done = self._done + [clickable(line) for line in lines]  # one assignment: readers see whole lists

    def _rich_table(self, index: int, console: Console, options: ConsoleOptions) -> Table:
        """Part `index` as the Rich table the Markdown renderer builds (the header only on the first part),
        plus the row carrying the whole columns' measures."""
        markdown = _table_markdown()(self._part(index))
        for _ in console.render(markdown, options):
            pass
        table: Table = markdown.kept[0]
        table.show_header = index == 0
        table.add_row(*(_Measured(measure) for measure in self._measures))
        return table


def _measure(cell: str) -> tuple[int, int]:
    """A cell's (minimum, maximum) width as Rich measures its text: longest word, whole line."""
    words = cell.split()
    return (max(map(cell_len, words)) if words else 0, cell_len(cell))


def _trimmed(lines: list[list[Segment]], *, start: bool, end: bool) -> list[list[Segment]]:
    """`lines` without the blank lines at the start (`start`) and the end (`end`)."""
    last = len(lines)
    while end and last and is_blank(lines[last - 1]):
        last -= 1
    first = 0
    while start and first < last and is_blank(lines[first]):
        first += 1
    return lines[first:last]
