"""Shows a table too wide for the reader row by row ("header: value" lines), so no cell's text is cut or hidden."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.text import Text

if TYPE_CHECKING:
    from markdown_it.token import Token

UNBOUNDED = 1_000_000
"""Width a table is measured at, to get the room its columns need rather than what a width leaves them."""
Row = list["Token"]
"""A row's cells: each one's inline token."""


def table_rows(tokens: tuple[Token, ...]) -> tuple[Row, list[Row]]:
    """The header's cells and each body row's cells of a table piece's tokens."""
    header: Row = []
    rows: list[Row] = []
    in_head = False
    for at, token in enumerate(tokens):
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type in ("th_open", "td_open") and at + 1 < len(tokens) and tokens[at + 1].type == "inline":
            (header if in_head else rows[-1]).append(tokens[at + 1])
    return header, rows


def plain(cell: Token) -> str:
    """A cell's text as Rich shows it (link targets and markup left out)."""
    return "".join(c.content for c in cell.children or [] if c.type in ("text", "code_inline", "html_inline")) or cell.content


def fits(tokens: tuple[Token, ...], console: Console, options: ConsoleOptions) -> bool:
    """Whether Rich can give every column of the table at least its longest word at `options`' width.

    This is Rich's own minimum width of the table as the Markdown renderer builds it (same box and padding):
    narrower than that, Rich cuts words ("Mas…") or, with hundreds of columns, draws no text at all.
    """
    from rich import box  # deferred: no table in sight at start-up
    from rich.measure import Measurement
    from rich.table import Table

    header, rows = table_rows(tokens)
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=True, collapse_padding=True)
    for cell in header:
        table.add_column(Text(plain(cell)))
    for row in rows:
        table.add_row(*(Text(plain(cell)) for cell in row))
    unbounded = options.update_width(UNBOUNDED)  # Rich clamps a table's measure to the width it is given
    return Measurement.get(console, unbounded, table).minimum <= options.max_width


def record_view(tokens: tuple[Token, ...], width: int, markdown_class: type) -> RenderableType:
    """The table as one block per row, a "header: value" line per cell, under a dim line saying why."""
    header, rows = table_rows(tokens)
    return Group(record_note(len(header), width, bool(rows)), Text(), markdown_class(record_blocks(header, rows)))


def record_note(columns: int, width: int, rows: bool = True) -> Text:
    """The dim line above a table shown row by row, saying why."""
    shown = "row by row" if rows else "one header per line"
    return Text(f"{columns}-column table too wide for {width} columns: shown {shown}", style="dim italic")


def record_blocks(header: Row, rows: list[Row]) -> list[Token]:
    """A paragraph's tokens per row (the header's, if there are no rows), a "header: value" line per cell."""
    from markdown_it.token import Token  # deferred with the Markdown renderer

    blocks: list[Token] = []
    for row in rows or [header]:
        children: list[Token] = []
        for column, cell in enumerate(row):
            if children:
                children.append(Token("hardbreak", "br", 0))
            if rows:
                name = header[column].children if column < len(header) else None
                children += [Token("strong_open", "strong", 1)]
                children += list(name) if name else [_text(f"column {column + 1}")]
                children += [Token("strong_close", "strong", -1), _text(": ")]
            children += list(cell.children or [])
        inline = Token("inline", "", 0)
        inline.children = children
        blocks += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    return blocks


def _text(content: str) -> Token:
    from markdown_it.token import Token

    token = Token("text", "", 0)
    token.content = content
    return token
