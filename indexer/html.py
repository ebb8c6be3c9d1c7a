"""HTML inside a note turned into its Markdown equivalents, line for line (citations cite lines)."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from indexer.html_elements import (
    BLOCK_START,
    BREAK,
    KNOWN_TAGS,
    PIECES,
    SAFE_SCHEMES,
    SPACE,
    Converter,
    HtmlImage,
    literal,
    safe_url,
)
from indexer.notefiles import MAX_NESTING

logger = logging.getLogger(__name__)

__all__ = [
    "KNOWN_TAGS",
    "SAFE_SCHEMES",
    "Converted",
    "HtmlImage",
    "convert_html",
    "converted_lines",
    "literal",
    "rewrite_image_sources",
    "safe_url",
]


@dataclass
class Converted:
    """A note's Markdown with its HTML converted (as many lines as before) and the images found."""

    markdown: str
    images: list[HtmlImage] = field(default_factory=list)


def _regions(tokens: list[Token], line_count: int) -> tuple[set[int], dict[int, int]]:
    """Lines (0-based) left alone (front matter, code), and HTML-block lines with their block's indent."""
    frozen: set[int] = set()
    html_lines: dict[int, int] = {}
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("front_matter", "fence", "code_block"):
            frozen.update(range(start, min(end, line_count)))
        elif token.type == "html_block":
            for line in range(start, min(end, line_count)):
                html_lines[line] = -1
            html_lines[start] = start  # marks the first line: its indent is the block's
    return frozen, html_lines


def _stretches(lines: list[str], frozen: set[int]) -> Iterator[tuple[bool, int, int]]:
    """(frozen?, first, end) runs of lines."""
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or ((i in frozen) != (start in frozen)):
            yield start in frozen, start, i
            start = i


INLINE_BREAK = "<br>"
"""A `<br>` inside a line as the converted Markdown keeps it: markdown-it reads it as inline HTML, which the
reader draws as a line break and the index reads as a space (`indexer.structure.inline_text`). A Markdown
hard break needs a line end, and the converted note keeps the lines of the file (citations cite lines)."""


def _one_line_blocks(tokens: list[Token], line_count: int) -> set[int]:
    """Lines (0-based) of headings and table rows: one line each, where a `<br>` can only be a space."""
    lines: set[int] = set()
    for token in tokens:
        if token.map is not None and token.type in ("heading_open", "table_open"):
            lines.update(range(token.map[0], min(token.map[1], line_count)))
    return lines


def _breaks(lines: list[str], frozen: set[int], one_line: set[int]) -> list[str]:
    """`<br>`s become hard breaks: `\\` at the end of a line that more text follows, `INLINE_BREAK`
    inside a line (a space in headings and table rows, `one_line`), nothing at the end of a block."""
    for i, line in enumerate(lines):
        if SPACE in line:
            line = re.sub(rf"(?:{SPACE})+(?=\s|{BREAK}|$)", "", line).replace(SPACE, " ")
            lines[i] = line
        if BREAK not in line or i in frozen:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        body = line.strip()
        if body.startswith(BREAK):
            body = re.sub(rf"^(?:{BREAK}\s*)+", "", body)
            previous = lines[i - 1].rstrip() if i > 0 else ""
            if body and previous and i - 1 not in frozen and not re.match(r"\s*(?:#|\|)", previous):
                lines[i - 1] = previous if previous.endswith("\\") else previous + "\\"
        ends = body.endswith(BREAK)
        body = re.sub(rf"(?:\s*{BREAK})+\s*$", "", body)
        inside = " " if i in one_line else INLINE_BREAK
        body = re.sub(rf"[ \t]*(?:{BREAK}[ \t]*)+", inside, body)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            ends
            and body
            and i + 1 not in frozen
            and not BLOCK_START.match(following.replace(BREAK, ""))
        ):
            body += "\\"
        lines[i] = f"{indent}{body}" if body else ""
    return lines


def convert_html(text: str, tokens: list[Token] | None = None) -> Converted:
    """`text` with its HTML as Markdown: the same number of lines, code and front matter untouched.

    `tokens` are markdown-it's block tokens for `text` when the caller has them (they tell where
    code is); unknown tags are escaped so they show literally and never act.
    """
    if not re.search(r"<[A-Za-z/!?]", text):
        return Converted(text)
    if tokens is None:
        from mdit_py_plugins.front_matter import front_matter_plugin

        tokens = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").use(front_matter_plugin).parse(text)
    lines, images = converted_lines(text, tokens)
    if len(lines) != text.count("\n") + 1:  # never expected (a test checks it): keep the text then
        logger.warning("HTML conversion changed the number of lines; kept the note as written")
        return Converted(text)
    return Converted("\n".join(lines), images)


def converted_lines(text: str, tokens: list[Token]) -> tuple[list[str], list[HtmlImage]]:
    """The lines of `text` with HTML converted (one for each line of `text`), and its images."""
    lines = text.split("\n")
    frozen, html_lines = _regions(tokens, len(lines))
    indent = 0
    for number in sorted(html_lines):
        line = lines[number]
        width = len(line) - len(line.lstrip(" \t"))
        if html_lines[number] == number:
            indent = width
        elif width > indent:
            lines[number] = line[:indent] + line.lstrip(" \t")
    images: list[HtmlImage] = []
    out: list[str] = []
    for is_frozen, first, end in _stretches(lines, frozen):
        chunk = "\n".join(lines[first:end])
        if is_frozen:
            out.append(chunk)
            continue
        converter = Converter(first + 1, images)
        converter.feed(chunk)
        if converter.table is not None:
            converter._table_end("table")
        out.append(converter.text())
    return _breaks("\n".join(out).split("\n"), frozen, _one_line_blocks(tokens, len(lines))), images


def rewrite_image_sources(text: str, replace: Callable[[str, int], str]) -> str:
    """`text` with the `src` of each `<img>` tag in it replaced by `replace(src, offset)` (quoting kept).

    `offset` is where the `src` value starts in `text`; a tag may span lines, as HTML allows.
    """

    def one(match: re.Match[str]) -> str:
        raw = match[0]
        if not match["tag"] or match["name"].lower() != "img" or raw.startswith("</"):
            return raw
        found = re.search(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", raw, re.IGNORECASE)
        if found is None:
            return raw
        value = found[2]
        quote = value[0] if value[0] in "\"'" else ""
        src = html.unescape(value[1:-1] if quote else value)
        new = replace(src, match.start() + found.start(2))
        if new == src:
            return raw
        quote = quote or '"'
        new = new.replace("&", "&amp;").replace(quote, "&quot;" if quote == '"' else "&#39;")
        return raw[: found.start(2)] + quote + new + quote + raw[found.end(2) :]

    return PIECES.sub(one, text)
