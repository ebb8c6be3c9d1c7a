"""Cuts a note's Markdown into pieces the reader renders one by one: headings, paragraphs, list items, images."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.names import slugify
from indexer.notefiles import MAX_NESTING
from tui.text import safe_markdown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

PARSED_CACHE = 32
"""Parsed notes kept (by text), so switching back and forth between notes never parses twice."""
LAZY_CHARS = 10_000
"""A top-level paragraph longer than this (source characters, ~1,500 words) is not parsed inline with
its note: `tui/long_lines.py` parses and renders it a part at a time, as its rows are needed."""
LONG_TABLE_ROWS = 100
"""A top-level table with more body rows than this is parsed with its note only down to its first row
(a 2,000-row table took markdown-it 0.4-1 s): `tui/long_tables.py` parses and renders it a part at a
time, as its rows are needed."""
_KINDS = {
    "paragraph_open": "paragraph",
    "fence": "code",
    "code_block": "code",
    "table_open": "table",
    "blockquote_open": "quote",
    "hr": "rule",
    "html_block": "html",
}


@dataclass(frozen=True)
class Piece:
    """One renderable part of a note and the source lines it comes from (0-based, end exclusive)."""

    kind: str
    """heading, paragraph, item (one item of a top-level list), image, code, table, quote, rule, html."""
    start: int
    end: int
    tokens: tuple[Token, ...] = field(default=(), compare=False, repr=False)
    """The piece's markdown-it tokens (images taken out), ready for Rich's Markdown renderer."""
    level: int = 0
    """Heading level (1-6)."""
    text: str = ""
    """A heading's text, or the literal source of an HTML block."""
    anchor: str = ""
    """Slug of a heading, for the contents and `#anchor` links."""
    src: str = ""
    """Image reference as written (images only)."""
    alt: str = ""
    """Image alt text (images only)."""
    last_item: bool = False
    """Whether this list item is the last of its list (space follows it)."""
    continued: int = 0
    """How many list bullets this piece's first line leaves out: it goes on with items begun above a figure."""
    lazy: bool = False
    """A long paragraph whose inline content is left unparsed, or a long table whose tokens hold only its
    header and first row (parsed a part at a time as rendered)."""
    env: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """The parser's environment of the note (link reference definitions), for parsing a lazy paragraph."""


@lru_cache(maxsize=2)
def note_parser(*, long_tables: bool = True) -> MarkdownIt:
    """The indexer's dialect (CommonMark, tables, strikethrough): line numbers agree with citations.
    Made on first use: the library paints before any note is parsed. Long paragraphs are left unparsed
    inline (`LAZY_CHARS`), long tables after their first row (`LONG_TABLE_ROWS`) unless `long_tables` is
    False (a part of a long table parsed whole)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")
    parser.core.ruler.at("inline", _inline_unless_long)
    if long_tables:
        parser.block.ruler.at("table", _table_unless_long, {"alt": ["paragraph", "reference"]})
    return parser.use(front_matter_plugin)


def _table_unless_long(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, except that a top-level table of more than `LONG_TABLE_ROWS` body rows
    yields only its header and first row, its `table_open` mapped to all its lines and marked `long`."""
    from markdown_it.rules_block.table import table

    if silent or state.level != 0 or state.blkIndent != 0 or not table(state, start, end, True):
        return table(state, start, end, silent)
    last = _table_end(state, start, end)
    if last - start - 2 <= LONG_TABLE_ROWS:
        return table(state, start, end, silent)
    first = len(state.tokens)
    table(state, start, start + 3, False)
    opening = state.tokens[first]
    opening.map = [start, last]
    opening.meta = {**(opening.meta or {}), "long": True}
    state.line = last
    return True


def _table_end(state: StateBlock, start: int, end: int) -> int:
    """The line after the last body row of the table starting at line `start`, found as markdown-it's table
    rule finds it (without its cap on cells left out of short rows: 65,536)."""
    terminators = state.md.block.ruler.getRules("blockquote")
    parent, state.parentType = state.parentType, "table"
    line = start + 2
    while line < end:
        if state.sCount[line] < state.blkIndent or state.isEmpty(line) or state.is_code_block(line):
            break
        if any(rule(state, line, end, True) for rule in terminators):
            break
        line += 1
    state.parentType = parent
    return line


def _inline_unless_long(state: StateCore) -> None:
    """markdown-it's inline step, except for top-level paragraphs too long to parse with their note
    (marked `lazy`); those with an image in them are parsed, to be cut at their images."""
    tokens = state.tokens
    for at, token in enumerate(tokens):
        if token.type != "inline":
            continue
        before = tokens[at - 1] if at else None
        content = token.content
        if (
            len(content) > LAZY_CHARS
            and before is not None
            and before.type == "paragraph_open"
            and before.level == 0
            and "![" not in content
            and "<img" not in content.lower()
        ):
            token.children = []
            token.meta = {**(token.meta or {}), "lazy": True}
            continue
        if token.children is None:
            token.children = []
        state.md.inline.parse(content, state.md, state.env, token.children)


def _close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at `start`."""
    token = tokens[start]
    if token.nesting != 1:
        return start
    for index in range(start + 1, len(tokens)):
        other = tokens[index]
        if other.level == token.level and other.nesting == -1:
            return index
    return len(tokens) - 1


def without_images(tokens: list[Token]) -> tuple[list[Token], list[tuple[str, str]]]:
    """Copies of `tokens` with images taken out of inline content (a `<br>` made a line break, other inline
    HTML literal text)."""
    # imported here, not at start-up: the library paints before any note is parsed
    from indexer.html_elements import is_line_break

    images: list[tuple[str, str]] = []
    out: list[Token] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            children = []
            for child in token.children:
                if child.type == "image":
                    images.append((str(child.attrs.get("src", "")), child.content))
                    continue
                if child.type == "html_inline" and is_line_break(child.content):
                    child = copy.copy(child)  # a `<br>` inside a line: a line break, as a Markdown hard break
                    child.type, child.content = "hardbreak", ""
                elif child.type == "html_inline":  # Rich drops inline HTML: show it as written instead
                    child = copy.copy(child)
                    child.type = "text"
                children.append(child)
            token = copy.copy(token)
            token.children = children
        out.append(token)
    return out, images


def _has_text(tokens: list[Token]) -> bool:
    for token in tokens:
        if token.type == "inline":
            if any(
                c.content.strip()
                for c in token.children or []
                if c.type not in ("softbreak", "hardbreak")
            ):
                return True
        elif token.type not in (
            "paragraph_open",
            "paragraph_close",
            "list_item_open",
            "list_item_close",
        ):
            return True
    return False


_BREAKS = ("softbreak", "hardbreak")
_LEAVES = ("fence", "code_block", "hr", "html_block")


@dataclass
class _Part:
    """A run of a block's tokens between its images (containers closed and reopened around the cut), or an image."""

    tokens: list[Token]
    image: Token | None = None
    continued: int = 0
    """List items reopened at its start: their bullets were drawn before the image."""


def _closing(token: Token) -> Token:
    closing = copy.copy(token)
    closing.type, closing.nesting = token.type.replace("_open", "_close"), -1
    return closing


def _inline(token: Token, children: list[Token]) -> Token:
    """A copy of inline `token` holding `children`, line breaks at either end left out."""
    start, end = 0, len(children)
    while start < end and children[start].type in _BREAKS:
        start += 1
    while end > start and children[end - 1].type in _BREAKS:
        end -= 1
    inline = copy.copy(token)
    inline.children = children[start:end]
    return inline


def _has_image(token: Token) -> bool:
    return token.type == "inline" and any(child.type == "image" for child in token.children or [])


def _without_empty_blocks(tokens: list[Token]) -> list[Token]:
    """`tokens` without the paragraphs, items and lists a cut left empty."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.type == "paragraph_close" and len(out) >= 3 and out[-3].type == "paragraph_open" and not out[-2].children:
            del out[-3:]
        elif token.nesting == -1 and len(out) >= 2 and out[-2].nesting == 1 and out[-2].type == token.type.replace("_close", "_open"):
            del out[-2:]
    return out


def _has_content(tokens: list[Token]) -> bool:
    return any((t.type == "inline" and _has_text([t])) or t.type in _LEAVES for t in tokens)


def _cut_at_images(tokens: list[Token]) -> list[_Part]:
    """`tokens` cut where their images are, in order: a figure is drawn where it was written (above the caption
    under it, inside the list item that shows it), not after the whole block."""
    parts: list[_Part] = []
    current: list[Token] = []
    stack: list[Token] = []  # the containers open at this point
    reopened: set[int] = set()  # ids of the list items reopened after a cut
    for token in tokens:
        if not _has_image(token):
            if token.nesting == 1:
                stack.append(token)
            elif token.nesting == -1 and stack:
                stack.pop()
            current.append(token)
            continue
        run: list[Token] = []
        for child in token.children or []:
            if child.type != "image":
                run.append(child)
                continue
            parts.append(_Part([*current, _inline(token, run), *map(_closing, reversed(stack))]))
            parts.append(_Part([], image=child))
            current, run = [copy.copy(t) for t in stack], []
            reopened |= {id(t) for t in current if t.type == "list_item_open"}
        current.append(_inline(token, run))
    parts.append(_Part(current))
    for part in parts:
        part.tokens = _without_empty_blocks(part.tokens)
        part.continued = sum(id(t) in reopened for t in part.tokens)
    return parts


def _add(
    pieces: list[Piece], kind: str, tokens: list[Token], start: int, end: int, **extra: object
) -> None:
    """Add a piece, its images as pieces of their own, where they are written."""
    if not any(_has_image(token) for token in tokens):
        kept, _ = without_images(tokens)
        if _has_text(kept):
            pieces.append(Piece(kind, start, end, tuple(kept), **extra))  # type: ignore[arg-type]
        return
    for part in _cut_at_images(tokens):
        if part.image is not None:
            pieces.append(Piece("image", start, end, src=str(part.image.attrs.get("src", "")), alt=part.image.content))
        elif _has_content(part.tokens):
            kept, _ = without_images(part.tokens)
            pieces.append(Piece(kind, start, end, tuple(kept), continued=part.continued, **extra))  # type: ignore[arg-type]


def _list_items(pieces: list[Piece], tokens: list[Token], open_at: int, close_at: int) -> None:
    """One piece per item of the list between `open_at` and `close_at`; ordered items keep their numbers."""
    opening = tokens[open_at]
    ordered = opening.type == "ordered_list_open"
    number = int(str(opening.attrs.get("start", 1))) if ordered else 1
    items = [
        i
        for i in range(open_at + 1, close_at)
        if tokens[i].type == "list_item_open" and tokens[i].level == opening.level + 1
    ]
    for position, index in enumerate(items):
        wrapper = copy.copy(opening)
        wrapper.attrs = dict(opening.attrs)
        if ordered:
            wrapper.attrs["start"] = number + position
        first, last = tokens[index].map or (0, 0)
        body = tokens[index : _close(tokens, index) + 1]
        _add(
            pieces,
            "item",
            [wrapper, *body, tokens[close_at]],
            first,
            last,
            last_item=position == len(items) - 1,
        )


@lru_cache(maxsize=PARSED_CACHE)
def pieces_of(text: str) -> tuple[Piece, ...]:
    """The pieces of Markdown `text` in order (front matter left out); cached by text."""
    text = safe_markdown(text)
    env: dict[str, object] = {}
    tokens = note_parser().parse(text, env)
    lines = text.split("\n")
    pieces: list[Piece] = []
    seen: dict[str, int] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        close_at = _close(tokens, index)
        if token.level != 0 or token.nesting == -1 or token.type == "front_matter":
            index += 1
            continue
        first, last = token.map or (0, 0)
        if token.type == "heading_open":
            inline = tokens[index + 1]
            slug = slugify(inline.content)
            seen[slug] = seen.get(slug, 0) + 1
            anchor = slug if seen[slug] == 1 else f"{slug}-{seen[slug] - 1}"
            heading = [copy.copy(t) for t in tokens[index : close_at + 1]]
            _add(
                pieces,
                "heading",
                heading,
                first,
                last,
                level=int(token.tag[1:]),
                text=inline.content,
                anchor=anchor,
            )
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            _list_items(pieces, tokens, index, close_at)
        elif token.type == "html_block":
            pieces.append(Piece("html", first, last, text="\n".join(lines[first:last]).rstrip()))
        elif token.type == "table_open" and (token.meta or {}).get("long"):
            kept, _ = without_images(tokens[index : close_at + 1])
            pieces.append(Piece("table", first, last, tuple(kept), lazy=True, env=env))
        elif token.type == "paragraph_open" and (tokens[index + 1].meta or {}).get("lazy"):
            pieces.append(Piece("paragraph", first, last, tuple(tokens[index : close_at + 1]), lazy=True, env=env))
        else:
            _add(
                pieces,
                _KINDS.get(token.type, "paragraph"),
                tokens[index : close_at + 1],
                first,
                last,
            )
        index = close_at + 1
    return tuple(pieces)
