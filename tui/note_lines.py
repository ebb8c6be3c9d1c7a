"""A note laid out as rows at one width: pieces rendered when they come into view, the others' heights guessed."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from indexer.notemodel import Image, Note
from tui.long_lines import LongPieceLines
from tui.long_tables import LongTableLines
from tui.piece_lines import GUTTER, PartLines, PieceLines, gap_after, guessed_rows, render_trimmed
from tui.pieces import Piece, pieces_of
from tui.text import one_line, safe_markdown

PICTURE_ROWS = 14
"""Rows a drawn figure takes (its width follows from its shape), as the reader has always shown them."""
PLACEHOLDER_ROWS = 4
"""Guess for a placeholder frame (border, alt text, path) before it is rendered."""


def why_not_drawn(src: str, image: Image | None, enabled: bool) -> str | None:
    """Why an image can't be drawn (None: it can, once decoded)."""
    if "://" in src or src.startswith("//"):
        return "remote image, not downloaded"
    if image is None or image.file is None:
        return "not found inside the notes folder"
    if not enabled:
        return "images are switched off"
    return None


def placeholder_text(src: str, alt: str, reason: str) -> Text:
    """The placeholder's text: alt text, then where the image is and why it isn't drawn."""
    return Text.assemble(
        ("🖼  ", "bold"),
        (one_line(alt) or "(no alt text)", "italic"),
        "\n",
        (one_line(src), "underline"),
        ("  · " + reason, "dim"),
    )


@dataclass
class Figure:
    """An image piece: waiting for its picture, drawn (by a widget laid over its rows), or a placeholder."""

    piece: Piece
    image: Image | None
    reason: str | None
    """Why it is a placeholder (None while it waits or once drawn)."""
    drawn: bool = False
    lines: tuple[int, list[list[Segment]]] | None = None
    """A placeholder's rendered lines and the width they were rendered at."""
    file: tuple[str, int, int, int, int] | None = None
    """What its file was on disk when it was read (`image_view.file_key`; None: not read yet), to redraw it
    once the file changes."""

    @property
    def caption(self) -> str:
        """The alt text shown under a drawn figure."""
        return one_line(self.piece.alt)

    def rows(self, width: int) -> int | None:
        """Rows at `width` (None: a placeholder not rendered at that width yet)."""
        if self.reason is None:
            return PICTURE_ROWS + (1 if self.caption else 0)
        return len(self.lines[1]) if self.lines is not None and self.lines[0] == width else None

    def render(self, console: Console, options: ConsoleOptions, frame: Style) -> list[list[Segment]]:
        """Its lines: the waiting label or blank rows under the picture, then the caption; or the placeholder."""
        if self.reason is None:
            label = [Segment("🖼  ", Style(bold=True)), Segment(self.caption or self.piece.src, Style(italic=True))]
            rows: list[list[Segment]] = [[] if self.drawn else label] + [[] for _ in range(PICTURE_ROWS - 1)]
            return rows + ([[Segment(self.caption, Style(italic=True))]] if self.caption else [])
        width = options.max_width
        if self.lines is None or self.lines[0] != width:
            panel = Panel(
                placeholder_text(self.piece.src, self.piece.alt, self.reason),
                title="image",
                title_align="left",
                border_style=frame,
                expand=False,
                padding=(0, 1),
            )
            self.lines = (width, render_trimmed(panel, console, options))
        return self.lines[1]


def _lines_for(piece: Piece, source: list[str]) -> PieceLines:
    """What renders a text piece: a part at a time when it is a long paragraph or table, else whole."""
    if not piece.lazy:
        return PieceLines(piece)
    return LongTableLines(piece, source) if piece.kind == "table" else LongPieceLines(piece)


class NoteLines:
    """One note's rows at one width: which piece each row belongs to, rendered lines where known."""

    def __init__(self, note: Note, *, images: bool = True) -> None:
        self.note = note
        """The note laid out."""
        self.key = (note.id, note.content_hash)
        self.pieces: tuple[Piece, ...] = pieces_of(note.markdown)
        """Its pieces, in order."""
        self.source = safe_markdown(note.markdown).split("\n")
        self.texts: dict[int, PieceLines] = {}
        """Text pieces' lines, by piece index (cached by width; filled from a thread when prefetched)."""
        self.figures: dict[int, Figure] = {}
        """Image pieces, by piece index."""
        for index, piece in enumerate(self.pieces):
            if piece.kind == "image":
                found = next((i for i in note.images if i.src == piece.src), None)
                self.figures[index] = Figure(piece, found, why_not_drawn(piece.src, found, images))
            else:
                self.texts[index] = _lines_for(piece, self.source)
        self.width = 0
        """Width laid out at (the text is GUTTER columns narrower)."""
        self.heights: list[int] = []
        """Rows of each piece, the blank rows after it included."""
        self.exact: list[bool] = []
        """Whether each height is rendered (else guessed)."""
        self.tops: list[int] = []
        """First row of each piece."""
        self.total = 0
        """Rows of the whole note."""

    @property
    def inner(self) -> int:
        """Width of the text (the gutter left out)."""
        return max(1, self.width - GUTTER)

    def contents(self) -> list[tuple[int, str, str]]:
        """(level, heading, anchor) of every heading."""
        return [(p.level, " ".join(p.text.split()), p.anchor) for p in self.pieces if p.kind == "heading"]

    def set_width(self, width: int) -> None:
        """Lay the note out at `width`: heights rendered at that width are exact, the others guessed."""
        if width == self.width and self.heights:
            return
        self.width = width
        self.heights, self.exact = [], []
        for index, piece in enumerate(self.pieces):
            rows = self._rendered_rows(index)
            self.exact.append(rows is not None)
            if rows is None:
                rows = PLACEHOLDER_ROWS if index in self.figures else guessed_rows(piece, self.source, self.inner)
            self.heights.append(rows + gap_after(piece))
        self._retop()

    def _rendered_rows(self, index: int) -> int | None:
        if index in self.figures:
            return self.figures[index].rows(self.inner)
        lines = self.texts[index].cached(self.inner)
        return None if lines is None else len(lines)

    def _retop(self) -> None:
        tops, y = [], 0
        for height in self.heights:
            tops.append(y)
            y += height
        self.tops, self.total = tops, y

    def lines_of(
        self, index: int, console: Console, options: ConsoleOptions, frame: Style, rows: int | None = None
    ) -> list[list[Segment]]:
        """Piece `index`'s lines (rendered now if they are not yet; of a long paragraph, its first `rows`
        at least); `options` at the text's width."""
        if index in self.figures:
            return self.figures[index].render(console, options, frame)
        return self.texts[index].lines(console, options, rows)

    def render(self, indexes: list[int], console: Console, options: ConsoleOptions, frame: Style) -> bool:
        """Render the pieces at `indexes` (a long paragraph: one more part) and take their heights; True
        if any height changed."""
        changed = False
        for index in indexes:
            text = self.texts.get(index)
            if isinstance(text, PartLines):
                changed |= self._take(index, len(text.advance(console, options)), text.complete(self.inner))
            else:
                changed |= self._take(index, len(self.lines_of(index, console, options, frame)), True)
        if changed:
            self._retop()
        return changed

    def _take(self, index: int, rows: int, complete: bool) -> bool:
        """Piece `index` has `rows` rendered (all of it if `complete`, else it keeps a row more than
        that at least); True if its height changed (the tops are the caller's to redo)."""
        gap = gap_after(self.pieces[index])
        if complete:
            self.exact[index] = True
            height = rows + gap
        else:
            height = max(self.heights[index], rows + 1 + gap)
        if height == self.heights[index]:
            return False
        self.heights[index] = height
        return True

    def locate(self, y: int) -> tuple[int, int]:
        """(piece index, row inside it) of row `y` (the last piece for rows past the end; (-1, 0) if empty)."""
        index = bisect_right(self.tops, y) - 1
        return (index, y - self.tops[index]) if index >= 0 else (-1, 0)

    def guessed_between(self, first: int, last: int) -> list[int]:
        """Pieces with guessed heights overlapping rows `first`..`last` (exclusive)."""
        start = max(0, self.locate(first)[0])
        found = []
        for index in range(start, len(self.pieces)):
            if self.tops[index] >= last:
                break
            if not self.exact[index]:
                found.append(index)
        return found

    def ensure(self, first: int, last: int, console: Console, options: ConsoleOptions, frame: Style) -> bool:
        """Render whatever overlaps rows `first`..`last` (as they settle; a long paragraph only down to
        `last`); True if heights changed."""
        changed = False
        enough: set[int] = set()
        for _ in range(len(self.pieces) + 1):
            missing = [i for i in self.guessed_between(first, last) if i not in enough]
            if not missing:
                break
            moved = False
            for index in missing:
                text = self.texts.get(index)
                if isinstance(text, PartLines):
                    lines = text.lines(console, options, last - self.tops[index])
                    moved |= self._take(index, len(lines), text.complete(self.inner))
                    enough.add(index)
                else:
                    moved |= self.render([index], console, options, frame)
            if moved:
                self._retop()
            changed |= moved
        return changed

    def ensure_all(self, console: Console, options: ConsoleOptions, frame: Style) -> bool:
        """Render every piece; True if heights changed."""
        changed = False
        while self.ensure(0, self.total + 1, console, options, frame):
            changed = True
        return changed

    def pending(self, near: int) -> list[int]:
        """Pieces still guessed: from row `near` down, then upward from it (so the view settles first)."""
        at = max(0, self.locate(near)[0])
        below = [i for i in range(at, len(self.pieces)) if not self.exact[i]]
        above = [i for i in range(at - 1, -1, -1) if not self.exact[i]]
        return below + above

    def piece_at_line(self, line: int) -> int | None:
        """Index of the last piece starting at or before source line `line` (0-based)."""
        found = None
        for index, piece in enumerate(self.pieces):
            if piece.start > line:
                break
            found = index
        return found

    def prerender(self, rows: int, console: Console, options: ConsoleOptions) -> None:
        """Render the text of the first `rows` rows (guessed) into the pieces' caches: safe in a thread."""
        for index in range(len(self.pieces)):
            if index < len(self.tops) and self.tops[index] >= rows:
                break
            if index in self.texts:
                self.texts[index].lines(console, options, rows - self.tops[index])
