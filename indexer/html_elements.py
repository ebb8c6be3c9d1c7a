"""How each HTML element of a note becomes Markdown: images, breaks, emphasis, sub/superscripts, links, lists, tables."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
PIECES = re.compile(
    r"(?P<escape>\\[\s\S])"
    r"|(?P<code>(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?[^`](?P=ticks)(?!`))"
    r"|(?P<autolink><[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<comment><!--[\s\S]*?-->)"
    rf"|(?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>)"
    r"|(?P<other><[!?][^>]*>)"
)
"""What a note's text is cut into: backslash escapes, code spans and autolinks pass through
untouched; comments, tags (CommonMark's definition of an HTML tag) and declarations are converted."""

SAFE_SCHEMES = ("http:", "https:", "mailto:")
"""Link and image sources with a scheme are only kept with one of these (never `javascript:`)."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()niabcdefghjklmoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδφχθ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵃᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵠᵡᶿ",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aeoxhklmnpstiruvjβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢᵣᵤᵥⱼᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
_EMPHASIS = {
    "i": "*",
    "em": "*",
    "u": "*",
    "cite": "*",
    "figcaption": "*",
    "b": "**",
    "strong": "**",
}
_CONTAINERS = {"p", "div", "center", "span", "figure", "picture", "section", "article", "small"}
_SEPARATING = {"p", "div", "center", "figure", "figcaption", "section", "article", "li", "ul", "ol"}
"""Block elements: next to text on the same line they leave a space, so words never run together."""
_LISTS = {"ul", "ol"}
_TABLE = {"table", "thead", "tbody", "tfoot", "tr", "th", "td"}
_CAPTURED = {"sub", "sup", "a", "code"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
KNOWN_TAGS = (
    set(_EMPHASIS)
    | _CONTAINERS
    | _LISTS
    | _TABLE
    | _CAPTURED
    | set(_HEADINGS)
    | {"img", "br", "li", "hr"}
)
"""Tags turned into Markdown; every other tag is shown literally, escaped so that it never acts."""
BREAK = "\x00br\x00"
"""Stands for a `<br>` until its line is known (a hard break at the end of a line, else a space)."""
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def is_line_break(inline_html: str) -> bool:
    """Whether a piece of inline HTML is a `<br>` (`<br/>`, `<br />`): a line break inside a paragraph."""
    return _LINE_BREAK_TAG.fullmatch(inline_html.strip()) is not None


SPACE = "\x00sp\x00"
"""A space that only stays when text follows it on its line (left by block tags beside text)."""
BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d{1,9}[.)]\s|#|>|```|~~~|\||$)")


@dataclass(frozen=True)
class HtmlImage:
    """An `<img>` found in a note: its line (1-based), source, alt text and width in pixels."""

    line: int
    src: str
    alt: str
    width: int | None


class _Attributes(HTMLParser):
    """Reads the attributes of one start tag (entities decoded), with Python's own HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            self.attrs.setdefault(key, value or "")

    handle_startendtag = handle_starttag


def attributes(tag: str) -> dict[str, str]:
    """The attributes of start tag `tag` (`<img src="a.png" width=300>`), names lowercased."""
    reader = _Attributes()
    reader.feed(tag)
    reader.close()
    return reader.attrs


def safe_url(url: str) -> bool:
    """Whether `url` may become a link or image: relative, or http(s)/mailto; never script."""
    url = url.strip()
    if not url or any(c in url for c in "<>\n\\") or any(ord(c) < 32 for c in url):
        return False
    scheme = _SCHEME.match(url)
    return scheme is None or scheme[0].lower() in SAFE_SCHEMES


def literal(raw: str) -> str:
    """`raw` HTML shown as text in Markdown: `<` and `>` escaped, nothing else changed."""
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dimension(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,5})\s*(?:px)?\s*", value or "")
    return int(match[1]) if match else None


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """`text` in Unicode sub/superscript when every character has one, else `^x` / `_(xy)`."""
    plain = " ".join(text.split())
    if plain and all(c in table for c in plain):
        return "".join(table[c] for c in plain)
    if not plain:
        return ""
    return f"{mark}{plain}" if len(plain) == 1 else f"{mark}({plain})"


def image_markdown(src: str, alt: str) -> str:
    """`![alt](src)`, the destination in `<...>` when it has spaces or brackets."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))
    dest = src.strip()
    if re.search(r"[\s()]", dest):
        dest = f"<{dest}>"
    return f"![{alt}]({dest})"


@dataclass
class _Open:
    """An element whose end tag is awaited: where its output starts and how it is closed."""

    name: str
    start: int
    attrs: dict[str, str]


@dataclass
class _Table:
    start: int
    rows: list[list[str]] = field(default_factory=list)
    cell: int | None = None
    """Where the current cell's text starts in the output."""
    span: int = 1


class Converter:
    """Turns the tags of one stretch of Markdown (no code blocks in it) into Markdown."""

    def __init__(self, first_line: int, images: list[HtmlImage]) -> None:
        self.out: list[str] = []
        self.line = first_line
        self.images = images
        self.open: list[_Open] = []
        self.lists: list[str] = []
        self.table: _Table | None = None

    def text(self) -> str:
        return "".join(self.out)

    def feed(self, text: str) -> None:
        position = 0
        for match in PIECES.finditer(text):
            self._data(text[position : match.start()])
            position = match.end()
            raw = match[0]
            if match["tag"]:
                self._tag(raw, match["name"].lower())
            elif match["comment"]:
                self._emit("\n" * raw.count("\n"))  # hidden by the author: only its lines stay
            elif match["other"]:
                self._emit(literal(raw))
            else:
                self._data(raw)
        self._data(text[position:])

    def _data(self, text: str) -> None:
        if text:
            self.out.append(text)
            self.line += text.count("\n")

    def _emit(self, text: str) -> None:
        self.out.append(text)

    def _at_line_start(self) -> bool:
        for piece in reversed(self.out):
            before, newline, _ = piece.rpartition("\n")
            tail = piece[len(before) + 1 :] if newline else piece
            if tail.replace(BREAK, "").strip():
                return False
            if newline:
                return True
        return True

    def _tag(self, raw: str, name: str) -> None:
        newlines = raw.count("\n")
        if name not in KNOWN_TAGS:
            self._emit(literal(raw))  # its line breaks stay inside the literal text
        else:
            closing = raw.startswith("</")
            apart = name in _SEPARATING and not self._at_line_start()
            if apart and not closing:
                self._emit(SPACE)
            if name in ("br", "hr") or (name == "img" and not closing):
                self._void(raw, name)
            elif closing:
                self._close(name)
                if apart:
                    self._emit(SPACE)
            else:
                self._start(raw, name)
            self._emit("\n" * newlines)
        self.line += newlines

    def _void(self, raw: str, name: str) -> None:
        if name == "br":
            self._emit(BREAK)
        elif name == "hr":
            self._emit("***" if self._at_line_start() else literal(raw))
        else:
            attrs = attributes(raw)
            src = attrs.get("src", "").strip()
            if not safe_url(src):
                self._emit(literal(raw))
                return
            alt = attrs.get("alt", "") or attrs.get("title", "")
            self.images.append(HtmlImage(self.line, src, alt, _dimension(attrs.get("width"))))
            self._emit(image_markdown(src, alt))

    def _start(self, raw: str, name: str) -> None:
        if name in _LISTS:
            self.lists.append(name)
        elif name == "li":
            if self._at_line_start():
                self._trim_indent()
                depth = max(0, len(self.lists) - 1)
                self._emit("   " * depth + ("1. " if self.lists[-1:] == ["ol"] else "- "))
            else:
                self._emit(" · ")
        elif name in _TABLE:
            self._table_start(name, raw)
        elif name in _HEADINGS and self._at_line_start():
            self._trim_indent()
            self._emit("#" * _HEADINGS[name] + " ")
        elif name in _EMPHASIS or name in _CAPTURED or name in _HEADINGS:
            self.open.append(_Open(name, len(self.out), attributes(raw)))

    def _close(self, name: str) -> None:
        if name in _LISTS:
            if name in self.lists:
                del self.lists[len(self.lists) - 1 - self.lists[::-1].index(name) :]
            return
        if name in _TABLE:
            self._table_end(name)
            return
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth].name == name:
                element = self.open[depth]
                del self.open[depth:]
                self._finish(element)
                return

    def _finish(self, element: _Open) -> None:
        """Replace the element's output with its Markdown form."""
        content = "".join(self.out[element.start :])
        del self.out[element.start :]
        name = element.name
        if name in _EMPHASIS or name in _HEADINGS:
            marker = _EMPHASIS.get(name, "**")
            core = content.strip()
            if not core or re.search(r"\n[ \t]*\n", core):
                self._emit(content)
                return
            lead = content[: len(content) - len(content.lstrip())]
            trail = content[len(content.rstrip()) :]
            self._emit(f"{lead}{marker}{core}{marker}{trail}")
        elif name in ("sub", "sup"):
            plain = content.replace(BREAK, " ")
            table, mark = (_SUPERSCRIPTS, "^") if name == "sup" else (_SUBSCRIPTS, "\\_")
            self._emit(_script(plain, table, mark) + "\n" * plain.count("\n"))
        elif name == "code":
            code = html.unescape(content.replace(BREAK, " "))
            ticks = "`" * (max((len(t) for t in re.findall(r"`+", code)), default=0) + 1)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            self._emit(f"{ticks}{pad}{code}{pad}{ticks}" if code.strip() else code)
        else:  # a link
            href = element.attrs.get("href", "").strip()
            text = content.strip()
            if text and safe_url(href):
                lead = content[: len(content) - len(content.lstrip())]
                trail = content[len(content.rstrip()) :]
                self._emit(f"{lead}[{text}]({href}){trail}")
            else:
                self._emit(content)

    def _trim_indent(self) -> None:
        """Drop the whitespace before a list item or heading on its line (it would make code)."""
        while self.out and not self.out[-1].strip(" \t") and "\n" not in self.out[-1]:
            self.out.pop()
        if self.out:
            last = self.out[-1]
            before, newline, tail = last.rpartition("\n")
            if newline and not tail.strip():
                self.out[-1] = before + newline

    # --- tables: rows collected, then written one per line from the `<table>` line on ---------

    def _table_start(self, name: str, raw: str) -> None:
        if name == "table":
            if self.table is None:
                self.table = _Table(start=len(self.out))
            return
        table = self.table
        if table is None:
            self._emit(literal(raw))
            return
        if name == "tr":
            self._end_cell()
            table.rows.append([])
        elif name in ("td", "th"):
            self._end_cell()
            if not table.rows:
                table.rows.append([])
            table.cell = len(self.out)
            table.span = max(1, min(_dimension(attributes(raw).get("colspan")) or 1, 50))

    def _end_cell(self) -> None:
        table = self.table
        if table is None or table.cell is None:
            return
        text = " ".join("".join(self.out[table.cell :]).replace(BREAK, " ").split())
        table.rows[-1] += [text.replace("|", "\\|")] + [""] * (table.span - 1)
        table.cell = None

    def _table_end(self, name: str) -> None:
        table = self.table
        if table is None:
            return
        if name in ("td", "th", "tr"):
            self._end_cell()
            return
        if name != "table":
            return
        self._end_cell()
        self.table = None
        region = "".join(self.out[table.start :])
        del self.out[table.start :]
        lines = region.count("\n")
        rows = [row for row in table.rows if row]
        columns = max((len(row) for row in rows), default=0)
        markdown = ["| " + " | ".join(row + [""] * (columns - len(row))) + " |" for row in rows]
        if markdown:
            markdown.insert(1, "|" + "---|" * columns)
        if markdown and len(markdown) <= lines and self._at_line_start():
            self._emit("\n".join(markdown) + "\n" * (lines - len(markdown) + 1))
        else:  # no room to keep the lines: the cells as text
            self._emit(" / ".join(" | ".join(row) for row in rows) + "\n" * lines)
