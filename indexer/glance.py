"""A note at a glance: what its library line needs (title, heading, metadata) from its front matter and first lines, without the Markdown parser.

For the first start on a folder nothing has seen yet: the app lists the notes from this while it
parses them properly in the background (the parse then replaces these records). A glance reads the
front matter with libyaml when it is there (a tenth of PyYAML's pure-Python time per note) and looks
at the lines under the first heading for a metadata list or a byline, as the parser does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from indexer.frontmatter import FrontMatter, note_metadata
from indexer.notemodel import Block, NoteWarning, Section

HEAD_LINES = 40
"""Lines under the first heading looked at: metadata lists and bylines sit in the first few."""
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_HTML = re.compile(r"<[^>\n]*>")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`")
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def glance(text: str, rel: str, stem: str) -> tuple[str, str | None, Any, list[str]] | None:
    """(title, first heading, metadata, warnings) of note `text`, or None when only a parse can tell (odd front matter)."""
    lines = text.split("\n")
    fields: dict[str, Any] = {}
    start = 0
    if lines and lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            return None
        front = "\n".join(lines[1:end])
        if "&" in front or "*" in front:  # anchors and aliases: the parser's guarded loader decides
            return None
        try:
            data = yaml.load(front, Loader=_LOADER) if front.strip() else {}
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
            return None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return None
        fields = {str(k).strip().lower(): v for k, v in data.items()}
        start = end + 1
    heading, sections = _head(lines, start)
    warnings: list[NoteWarning] = []
    meta, title = note_metadata(FrontMatter(fields, {}), sections, Path(rel), warnings)
    title = title or heading or stem.replace("_", " ").replace("-", " ").strip() or rel
    return title, heading, meta, [str(w) for w in warnings]


def _head(lines: list[str], start: int) -> tuple[str | None, list[Section]]:
    """The first heading and the first blocks under it or the headings right below it (paragraphs and
    list items, as plain text): the parser's first section with text."""
    heading: str | None = None
    at = start
    for at in range(start, min(len(lines), start + HEAD_LINES)):
        if match := _HEADING.match(lines[at]):
            heading = _plain(match.group(2))
            break
        if lines[at].strip():
            break  # text before any heading: the blocks start here
    first = at + 1 if heading is not None else at
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []

    def close(kind: str = "paragraph") -> None:
        if current:
            text = " ".join(t for _, t in current if t)  # soft breaks and <br> read as spaces, as the parser's text
            blocks.append(Block(kind, text, current[0][0] + 1, current[-1][0] + 1))
            current.clear()

    for number in range(first, min(len(lines), first + HEAD_LINES)):
        line = lines[number]
        if _HEADING.match(line) and not blocks and not current:
            continue  # a heading right under the title ("# BYOL", "## Bootstrap Your…"): its text counts
        if _HEADING.match(line) or line.lstrip().startswith(("```", "~~~")):
            break
        if not line.strip():
            close()
        elif _LIST_ITEM.match(line):
            close()
            current.append((number, _plain(_LIST_ITEM.sub("", line, count=1))))
            close("list_item")
        else:
            current.append((number, _plain(line)))
    close()
    section = Section(heading or "", (), 1 if heading else 0, first + 1, first + 1, blocks)
    return heading, [section]


def _plain(text: str) -> str:
    """Markdown source as the parser's plain text, nearly: emphasis marks and HTML tags dropped."""
    return " ".join(_EMPHASIS.sub("", _HTML.sub(" ", text)).split())
