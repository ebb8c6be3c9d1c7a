"""A note's structure: markdown-it tokens → sections of blocks with line ranges, and the images they show."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from indexer.html_elements import is_line_break
from indexer.notemodel import Block, Image, NoteWarning, Section


def inline_text(token: Token, images: list[tuple[str, str, int]] | None = None) -> str:
    """Plain text of an inline token: emphasis and link markup dropped, image alt text kept; its images
    go to `images` as (src, alt, lines after the token's first line)."""
    parts: list[str] = []
    breaks = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            breaks += 1
        elif child.type == "html_inline" and is_line_break(child.content):
            parts.append(" ")  # a `<br>` inside a line (`indexer.html.INLINE_BREAK`)
        elif child.type == "image":
            alt = child.content or "".join(c.content for c in child.children or [])
            if images is not None:
                images.append((str(child.attrs.get("src", "")), alt, breaks))
            if alt:
                parts.append(f"[image: {alt}]")
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


class _Walk:
    """Where a note's files are, and where its problems go, while its tokens are walked."""

    def __init__(self, path: Path, root: Path, rel: str, warnings: list[NoteWarning]) -> None:
        self.path = path
        self.root = root.resolve()
        self.rel = rel
        self.warnings = warnings

    def image(self, src: str, alt: str, line: int) -> Image:
        """Resolve an image reference; only local files inside the notes folder get a `file`."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("//"):
            return Image(src=src, alt=alt, line=line, file=None)
        local = src.split("?", 1)[0].split("#", 1)[0]
        if not local:
            return Image(src=src, alt=alt, line=line, file=None)
        candidate = (self.path.parent / local).resolve()
        if not candidate.exists():  # markdown-it percent-encodes spaces in destinations
            candidate = (self.path.parent / unquote(local)).resolve()
        try:
            candidate.relative_to(self.root)
        except ValueError:
            self._warn(line, f"image {src!r} points outside the notes folder; not read")
            return Image(src=src, alt=alt, line=line, file=None)
        if not candidate.is_file():
            self._warn(line, f"image {src!r} not found")
            return Image(src=src, alt=alt, line=line, file=None)
        return Image(src=src, alt=alt, line=line, file=candidate)

    def _warn(self, line: int, message: str) -> None:
        self.warnings.append(NoteWarning(Path(self.rel), line, message))


def note_sections(
    tokens: list[Token],
    body_start: int,
    last_line: int,
    path: Path,
    root: Path,
    rel: str,
    warnings: list[NoteWarning],
) -> tuple[list[Section], list[Image], str | None]:
    """Split the token stream into sections of blocks, collecting images and the first heading."""
    walk = _Walk(path, root, rel, warnings)
    intro = Section(heading="", path=(), level=0, start_line=body_start, end_line=last_line)
    sections = [intro]
    images: list[Image] = []
    trail: list[tuple[int, str]] = []
    first_heading: str | None = None
    list_depth = 0
    in_item = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            heading = inline_text(tokens[i + 1]) if i + 1 < len(tokens) else ""
            start = token.map[0] + 1 if token.map else body_start
            if first_heading is None and heading:
                first_heading = heading
            while trail and trail[-1][0] >= level:
                trail.pop()
            trail.append((level, heading))
            sections[-1].end_line = max(sections[-1].start_line, start - 1)
            sections.append(
                Section(
                    heading=heading,
                    path=tuple(h for _, h in trail),
                    level=level,
                    start_line=start,
                    end_line=last_line,
                )
            )
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "paragraph_open" and i + 1 < len(tokens):
            found: list[tuple[str, str, int]] = []
            body = inline_text(tokens[i + 1], found)
            start, end = _lines(token, body_start)
            for src, alt, below in found:  # on its own line, not the paragraph's first
                images.append(walk.image(src, alt, min(start + below, end)))
            if body:
                block_kind = "list_item" if in_item else "paragraph"
                sections[-1].blocks.append(
                    Block(block_kind, body, start, end, max(0, list_depth - 1))
                )
        elif kind in ("fence", "code_block"):
            start, end = _lines(token, body_start)
            if token.content.strip():
                sections[-1].blocks.append(Block("code", token.content.rstrip("\n"), start, end))
        elif kind == "table_open":
            start, end = _lines(token, body_start)
            rows: list[str] = []
            cells: list[str] = []
            i += 1
            while i < len(tokens) and tokens[i].type != "table_close":
                if tokens[i].type == "inline":
                    cells.append(inline_text(tokens[i]))
                elif tokens[i].type == "tr_close":
                    rows.append(" | ".join(cells))
                    cells = []
                i += 1
            if rows:
                sections[-1].blocks.append(Block("table", "\n".join(rows), start, end))
        elif kind == "html_block":  # only comments are left once HTML is converted
            start, end = _lines(token, body_start)
            plain = re.sub(r"<[^>]*>", " ", token.content)
            plain = re.sub(r"\s+", " ", plain).strip()
            if plain:
                sections[-1].blocks.append(Block("html", plain, start, end))
        i += 1
    return sections, images, first_heading


def _lines(token: Token, fallback: int) -> tuple[int, int]:
    if token.map:
        return token.map[0] + 1, max(token.map[0] + 1, token.map[1])
    return fallback, fallback


def drop_title_heading(sections: list[Section], title: str) -> None:
    """Treat the note's top heading (equal to the title, or its only H1 when first) as the note itself."""
    headed = [s for s in sections if s.level]
    if not headed:
        return
    first = headed[0]
    only_h1 = first.level == 1 and sum(1 for s in headed if s.level == 1) == 1
    if not (only_h1 or first.heading.strip().lower() == title.strip().lower()):
        return
    for other in headed[1:]:
        if other.path[:1] == (first.heading,):
            other.path = other.path[1:]
    first.path = ()
