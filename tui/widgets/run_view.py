"""Provides runs: consecutive pieces of a note drawn by one widget with Rich (few widgets keep layout cheap)."""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it.token import Token
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.messages import LinkClicked
from tui.pieces import Piece

CODE_THEME = "monokai"
GUTTER = 2
"""Columns left of the text: a bar marks the cited passage there."""
CITED_BAR = "▌ "


class TokenMarkdown(RichMarkdown):
    """Rich's Markdown renderer fed with tokens already parsed (a note is parsed once, not once per piece)."""

    def __init__(self, tokens: Iterable[Token]) -> None:  # Rich's own __init__ would parse again
        self.markup = ""
        self.parsed = list(tokens)
        self.code_theme = CODE_THEME
        self.justify = None
        self.style = "none"
        self.hyperlinks = True
        self.inline_code_lexer = None
        self.inline_code_theme = CODE_THEME


def _blank(line: list[Segment]) -> bool:
    return not any(segment.text.strip() for segment in line)


def _clickable(line: list[Segment]) -> list[Segment]:
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


def piece_renderable(piece: Piece) -> RenderableType:
    """What a (non-image) piece looks like, before trimming."""
    if piece.kind == "html":
        return Text(piece.text)  # shown as written: never dropped, never read as markup
    if piece.kind == "heading":
        paragraph = [
            Token("paragraph_open", "p", 1),
            *piece.tokens[1:-1],
            Token("paragraph_close", "p", -1),
        ]
        return TokenMarkdown(paragraph)
    return TokenMarkdown(piece.tokens)


class PieceLines:
    """A piece's rendered lines, cached by width (blank lines around it trimmed; links clickable)."""

    def __init__(self, piece: Piece) -> None:
        self.piece = piece
        self._renderable: RenderableType | None = None
        self._cache: tuple[int, list[list[Segment]]] | None = None

    def lines(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        """The lines at `options`' width."""
        width = options.max_width
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        if self._renderable is None:
            self._renderable = piece_renderable(self.piece)
        lines = console.render_lines(self._renderable, options.update(height=None), pad=False)
        end = len(lines)
        while end and _blank(lines[end - 1]):
            end -= 1
        start = 0
        while start < end and _blank(lines[start]):
            start += 1
        result = [_clickable(line) for line in lines[start:end]]
        self._cache = (width, result)
        return result


def gap_after(piece: Piece) -> int:
    """Blank lines after a piece (none between the items of one list)."""
    return 0 if piece.kind == "item" and not piece.last_item else 1


class _RunRenderable:
    def __init__(self, run: RunView) -> None:
        self.run = run

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        run = self.run
        inner = options.update_width(max(1, options.max_width - GUTTER))
        offsets = []
        y = 0
        cited_style = run.get_component_rich_style("run--cited")
        bar = Segment(CITED_BAR, run.get_component_rich_style("run--bar"))
        plain_gutter = Segment(" " * GUTTER)
        for index, (piece, lines) in enumerate(zip(run.pieces, run.lines, strict=True)):
            offsets.append(y)
            style = run.style_for(piece)
            cited = index in run.cited
            for line in lines.lines(console, inner):
                if style is not None:
                    line = list(Segment.apply_style(line, post_style=style))
                if cited:
                    yield bar
                    yield from Segment.apply_style(line, post_style=cited_style)
                    width = sum(segment.cell_length for segment in line)
                    yield Segment(" " * max(0, inner.max_width - width), cited_style)
                else:
                    yield plain_gutter
                    yield from line
                yield Segment.line()  # each line ends in a newline: Textual counts them for the height
                y += 1
            for _ in range(gap_after(piece) if index < len(run.pieces) - 1 or run.gap_after else 0):
                yield Segment.line()
                y += 1
        run.offsets = offsets


class RunView(Widget):
    """Consecutive text pieces of a note (headings, paragraphs, list items, code, tables) in one widget."""

    COMPONENT_CLASSES = {
        "run--h1",
        "run--h2",
        "run--heading",
        "run--html",
        "run--cited",
        "run--bar",
    }
    DEFAULT_CSS = """
    RunView {
        height: auto;
        & > .run--heading { text-style: bold; color: $text-primary; }
        & > .run--h1 { text-style: bold underline; color: $text-accent; }
        & > .run--h2 { text-style: bold underline; color: $text-primary; }
        & > .run--html { color: $text-muted; }
        & > .run--cited { background: $warning 20%; }
        & > .run--bar { color: $warning; }
    }
    """

    def __init__(self, pieces: list[Piece], *, gap_after: bool = True) -> None:
        super().__init__()
        self.pieces = pieces
        """The pieces drawn, in order."""
        self.lines = [PieceLines(piece) for piece in pieces]
        """Their rendered lines (cached by width)."""
        self.gap_after = gap_after
        """Whether the last piece is followed by a blank line."""
        self.cited: set[int] = set()
        """Indexes (in `pieces`) of the pieces behind the citation shown."""
        self.offsets: list[int] = []
        """Row of each piece inside the run, as last drawn."""

    def render(self) -> RenderableType:
        return _RunRenderable(self)

    def style_for(self, piece: Piece) -> Style | None:
        """The style laid over a piece (headings and HTML), from the CSS component classes."""
        if piece.kind == "heading":
            name = f"run--h{piece.level}" if piece.level <= 2 else "run--heading"
            return self.get_component_rich_style(name)
        if piece.kind == "html":
            return self.get_component_rich_style("run--html")
        return None

    def set_cited(self, indexes: Iterable[int]) -> None:
        """Mark the pieces at `indexes` as cited (an empty iterable clears the mark)."""
        cited = set(indexes)
        if cited != self.cited:
            self.cited = cited
            self.refresh()

    def piece_y(self, index: int) -> int:
        """Row of piece `index` inside the run (0 before the first render)."""
        return self.offsets[index] if index < len(self.offsets) else 0

    def piece_height(self, index: int) -> int:
        """Rows piece `index` takes, as last drawn."""
        if index + 1 < len(self.offsets):
            return self.offsets[index + 1] - self.offsets[index] - gap_after(self.pieces[index])
        return max(0, self.virtual_size.height - self.piece_y(index))

    def text(self, width: int = 200) -> str:
        """The run as plain text (tests and debugging)."""
        console = Console(width=width, color_system=None, file=None, legacy_windows=False)
        with console.capture() as capture:
            console.print(_RunRenderable(self))
        return capture.get()

    def action_link(self, href: str) -> None:
        """A link in the run was clicked."""
        self.post_message(LinkClicked(href))
