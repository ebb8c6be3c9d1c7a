"""Renders one piece of a note into lines of Rich segments, cached by width, and guesses its height unrendered."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.pieces import Piece
from tui.wide_tables import fits, record_view

if TYPE_CHECKING:
    from markdown_it.token import Token

CODE_THEME = "monokai"
GUTTER = 2
"""Columns left of the text: a bar marks the cited passage there."""
CITED_BAR = "▌ "
TABLE_FRAME = 2
"""Rows a table adds to its source lines (top and bottom border), for the height guess."""
ITEM_INDENT = 3
"""Columns Rich indents a list item's text by (bullet or number), for the height guess."""


@cache
def token_markdown() -> Any:
    """Rich's Markdown renderer fed with tokens already parsed (a note is parsed once, not once per piece).

    Made on first use: Rich's Markdown module and markdown-it (~25 ms) stay out of the app's start-up.
    """
    from rich.markdown import Markdown as RichMarkdown

    class TokenMarkdown(RichMarkdown):
        def __init__(self, tokens: Iterable[Token]) -> None:  # Rich's own __init__ would parse again
            self.markup = ""
            self.parsed = list(tokens)
            self.code_theme = CODE_THEME
            self.justify = None
            self.style = "none"
            self.hyperlinks = True
            self.inline_code_lexer = None
            self.inline_code_theme = CODE_THEME

    return TokenMarkdown


def is_blank(line: list[Segment]) -> bool:
    return not any(segment.text.strip() for segment in line)


def clickable(line: list[Segment]) -> list[Segment]:
    """Links in `line` made to run the widget's `link` action when clicked."""
    out = []
    for segment in line:
        style = segment.style
        if style is not None and style.link:
            meta = Style.from_meta({"@click": f"link({style.link!r})"})
            out.append(Segment(segment.text, style.update_link(None) + meta, segment.control))
        else:
            out.append(segment)
    return out


def _without_bullets(line: list[Segment], count: int) -> list[Segment]:
    """`line` with its first `count` list markers (bullets, numbers) blanked: they were drawn above a figure."""
    out: list[Segment] = []
    in_marker = False
    for segment in line:
        text = []
        for character in segment.text:
            if count and not character.isspace():
                in_marker = True
                character = " "
            elif in_marker and character.isspace():
                in_marker, count = False, count - 1
            text.append(character)
        out.append(Segment("".join(text), segment.style, segment.control))
    return out


def piece_renderable(piece: Piece, console: Console, options: ConsoleOptions) -> RenderableType:
    """What a text piece looks like at `options`' width, before trimming (a table too wide for it: row by row)."""
    if piece.kind == "html":
        return Text(piece.text)  # shown as written: never dropped, never read as markup
    markdown_class = token_markdown()
    if piece.kind == "heading":
        from markdown_it.token import Token  # deferred with the renderer

        paragraph = [
            Token("paragraph_open", "p", 1),
            *piece.tokens[1:-1],
            Token("paragraph_close", "p", -1),
        ]
        return markdown_class(paragraph)  # type: ignore[no-any-return]
    if piece.kind == "table" and not fits(piece.tokens, console, options):
        return record_view(piece.tokens, options.max_width, markdown_class)
    return markdown_class(piece.tokens)  # type: ignore[no-any-return]


def render_trimmed(
    renderable: RenderableType, console: Console, options: ConsoleOptions
) -> list[list[Segment]]:
    """`renderable`'s lines at `options`' width, blank lines around them trimmed, links clickable."""
    lines = console.render_lines(renderable, options.update(height=None), pad=False)
    end = len(lines)
    while end and is_blank(lines[end - 1]):
        end -= 1
    start = 0
    while start < end and is_blank(lines[start]):
        start += 1
    return [clickable(line) for line in lines[start:end]]


class PieceLines:
    """A text piece's rendered lines, cached for one width (safe to fill from a thread: one assignment)."""

    def __init__(self, piece: Piece) -> None:
        self.piece = piece
        self._cache: tuple[int, list[list[Segment]]] | None = None

    def cached(self, width: int) -> list[list[Segment]] | None:
        """The lines at `width` if they are all rendered already."""
        cache = self._cache
        return cache[1] if cache is not None and cache[0] == width else None

    def lines(
        self, console: Console, options: ConsoleOptions, rows: int | None = None
    ) -> list[list[Segment]]:
        """The lines at `options`' width (rendered now unless cached; all of them, whatever `rows` asks:
        a long paragraph's `LongPieceLines` renders only as many)."""
        width = options.max_width
        found = self.cached(width)
        if found is not None:
            return found
        result = render_trimmed(piece_renderable(self.piece, console, options), console, options)
        if self.piece.continued and result:
            result[0] = _without_bullets(result[0], self.piece.continued)
        self._cache = (width, result)
        return result


class PartLines(PieceLines):
    """A piece too big to render at once (a long paragraph, a long table), rendered a part at a time as its
    rows are asked for: `lines` renders down to the rows asked, `advance` one more part."""

    def complete(self, width: int) -> bool:
        """Whether every line at `width` is rendered."""
        raise NotImplementedError

    def advance(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        """Render one more part at `options`' width; the lines rendered so far."""
        raise NotImplementedError


def gap_after(piece: Piece) -> int:
    """Blank lines after a piece (none between the items of one list)."""
    return 0 if piece.kind == "item" and not piece.last_item else 1


def guessed_rows(piece: Piece, source: list[str], width: int) -> int:
    """Rows a text piece will take at `width`, from its source lines (wrapped), before it is rendered."""
    room = max(1, width - (ITEM_INDENT if piece.kind == "item" else 0))
    if piece.kind == "code":  # the fences out, Rich's padding (a row above and below) in
        return max(1, piece.end - piece.start - 2) + 2
    lines = [line for line in source[piece.start : piece.end] if line.strip()]
    rows = sum(-(-len(line.strip()) // room) for line in lines)
    if piece.kind == "table":
        rows = len(lines) + TABLE_FRAME
    return max(1, rows)
