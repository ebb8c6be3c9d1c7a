"""Renders a paragraph too long to render at once a part at a time, into the same lines as rendered whole."""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from rich._wrap import divide_line  # Rich's own wrapping: the same breaks as rendering whole
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text

from tui.piece_lines import PartLines, clickable, is_blank, token_markdown
from tui.pieces import Piece, note_parser, without_images

if TYPE_CHECKING:
    from markdown_it.token import Token

PART_CHARS = 4_000
"""Source characters parsed and rendered per step (~2 ms here): a screen of 200×60 holds about 12,000."""
LONGEST_PART = 10 * PART_CHARS
"""A part grows (by PART_CHARS) while it may leave a delimiter open, up to this: a '*', '[' or '`'
still open 40,000 characters on is taken as the literal character it nearly always is."""
_RISKY = re.compile(r"`|~~|(?<![^\W_])_|_(?![^\W_])|(?<!\s)\*|\*(?!\s)|<[A-Za-z/!?]")
"""Literal text that may be a delimiter left open: a backtick, '~~', '_' not inside a word, '*' not
between spaces, a '<' starting a tag or an autolink (brackets: when unbalanced)."""


@cache
def _capturing_markdown() -> Any:
    """Rich's Markdown renderer (from tokens) keeping each paragraph's Text instead of drawing it."""
    from rich.markdown import Paragraph

    class Kept(Paragraph):
        @classmethod
        def create(cls, markdown: Any, token: Token) -> Kept:
            kept = cls(justify="left")
            kept.sink = markdown.kept
            return kept

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Any:
            self.sink.append(self.text)
            return iter(())

    base = token_markdown()

    class Capturing(base):  # type: ignore[misc,valid-type]
        elements = {**base.elements, "paragraph_open": Kept}

        def __init__(self, tokens: list[Token]) -> None:
            super().__init__(tokens)
            self.kept: list[Text] = []

    return Capturing


def _cut(source: str, at: int) -> int:
    """The first place at or after `at` where a part may end: after a run of spaces or a line break
    (and the next line's indent, which the parser drops), or the end."""
    space = re.compile(r"[ \n]+").search(source, at)
    return len(source) if space is None else space.end()


def _self_contained(tokens: list[Token]) -> bool:
    """Whether a part parsed alone left no delimiter open that a later part could close: none of its
    text is `_RISKY` and its literal brackets pair up (conservative: an escaped '*' counts too, and
    merely makes the part longer)."""
    text = "".join(token.content for token in tokens if token.type == "text")
    return _RISKY.search(text) is None and text.count("[") == text.count("]")


class LongPieceLines(PartLines):
    """A long paragraph's lines, rendered a part of its source at a time as they are asked for.

    The source is cut after whitespace into parts that parse alone as they do in the whole (else the
    part grows until it does, up to `LONGEST_PART`); each part's Rich text is appended to what the last finished line left
    over and wrapped, so every line but the last is final: Rich wraps greedily, so a line depends only
    on the text from its start. Safe to use from a thread (one lock).
    """

    def __init__(self, piece: Piece) -> None:
        super().__init__(piece)
        self._source = piece.tokens[1].content
        self._env = dict(piece.env)
        self._parts: list[Text] = []
        """Rich text of each part parsed so far (the same at any width)."""
        self._parsed_to = 0
        """Source offset the next part starts at."""
        self._lock = threading.Lock()
        self._width = 0
        self._done: list[list[Segment]] = []
        """Finished lines at `_width`."""
        self._tail: Text | None = None
        """Text left after the finished lines (the last wrapped line so far)."""
        self._next = 0
        """Index of the next part to wrap at `_width`."""

    def cached(self, width: int) -> list[list[Segment]] | None:
        return self._done if self._width == width and self._complete() else None

    def _complete(self) -> bool:
        return self._parsed_to >= len(self._source) and self._next >= len(self._parts)

    def complete(self, width: int) -> bool:
        """Whether every line at `width` is rendered."""
        return self._width == width and self._complete()

    def lines(
        self, console: Console, options: ConsoleOptions, rows: int | None = None
    ) -> list[list[Segment]]:
        """The lines rendered at `options`' width, at least `rows` of them if there are that many
        (all when `rows` is None)."""
        while True:
            with self._lock:  # taken part by part: the event loop never waits for a whole prefetch
                self._at_width(options.max_width)
                if self._complete() or (rows is not None and len(self._done) >= rows):
                    return self._done
                self._step(console, options)

    def advance(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        """Render one more part at `options`' width; the lines rendered so far."""
        with self._lock:
            self._at_width(options.max_width)
            if not self._complete():
                self._step(console, options)
            return self._done

    def _at_width(self, width: int) -> None:
        if width != self._width:
            self._width, self._done, self._tail, self._next = width, [], None, 0

    def _part(self, index: int, console: Console, options: ConsoleOptions) -> Text:
        while index >= len(self._parts):
            start = self._parsed_to
            end = _cut(self._source, start + PART_CHARS)
            while True:
                inline = note_parser().parseInline(self._source[start:end], self._env)[0]
                if end >= len(self._source) or end - start >= LONGEST_PART or _self_contained(inline.children or []):
                    break
                end = _cut(self._source, end + PART_CHARS)
            paragraph = [self.piece.tokens[0], inline, self.piece.tokens[-1]]
            markdown = _capturing_markdown()(without_images(paragraph)[0])
            for _ in console.render(markdown, options.update(height=None)):
                pass
            text = markdown.kept[0] if len(markdown.kept) == 1 else Text("").join(markdown.kept)
            text.justify = "left"  # as Rich's paragraphs are
            self._parts.append(text)
            self._parsed_to = end
        return self._parts[index]

    def _step(self, console: Console, options: ConsoleOptions) -> None:
        part = self._part(self._next, console, options)
        self._next += 1
        pending = part if self._tail is None else self._tail + part
        rendered = console.render_lines(pending, options.update(height=None), pad=False)
        if self._complete():
            while rendered and is_blank(rendered[-1]):
                rendered.pop()
            self._add(rendered)
            self._tail = None
            return
        plain = pending.plain
        line_start = plain.rfind("\n") + 1
        overflow = pending.overflow or options.overflow or "fold"
        breaks = divide_line(plain[line_start:], options.max_width, fold=overflow == "fold")
        self._add(rendered[:-1])
        self._tail = pending[line_start + (breaks[-1] if breaks else 0) :]

    def _add(self, lines: list[list[Segment]]) -> None:
        if not self._done:
            while lines and is_blank(lines[0]):
                lines = lines[1:]
        self._done = self._done + [clickable(line) for line in lines]  # one assignment: readers see whole lists
