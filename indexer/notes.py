"""Notes: finding Markdown notes, parsing them into title, metadata, sections and blocks, reading order."""

from __future__ import annotations

import hashlib
import logging
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from indexer.errors import NoteError
from indexer.notefiles import (  # noqa: F401 - re-exported: these lived here
    MAX_NOTE_BYTES,
    NOTE_SUFFIXES,
    decode_note,
    duplicate_titles,
    find_note_files,
    note_id_for,
)

logger = logging.getLogger(__name__)


METADATA_KEYS = {
    "title": "title", "paper title": "title", "authors": "authors", "author": "authors",
    "year": "year", "date": "year", "paper": "paper", "link": "paper", "arxiv": "paper",
    "url": "paper", "pdf": "paper", "code": "code", "github": "code", "repo": "code",
    "repository": "code", "source": "source", "tags": "tags", "keywords": "tags",
}  # fmt: skip
"""Keys of a `* **Key**: value` / `- Key: value` metadata list → front matter fields (parser and importer)."""
_METADATA_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*:\s*(.+)$")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass(frozen=True)
class NoteWarning:
    """A problem found in a note that did not stop it from being indexed."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, code block or table, with its 1-based inclusive line range."""

    kind: str
    text: str
    start_line: int
    end_line: int
    depth: int = 0


@dataclass
class Section:
    """The blocks under one heading; `path` is the heading trail below the note title."""

    heading: str
    path: tuple[str, ...]
    level: int
    start_line: int
    end_line: int
    blocks: list[Block] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The section's trail as shown to users ("Results › Speed")."""
        return " › ".join(self.path)


@dataclass(frozen=True)
class Image:
    """An image referenced by a note; `file` is set only for a readable local file inside the notes."""

    src: str
    alt: str
    line: int
    file: Path | None


@dataclass
class NoteMeta:
    """Front matter (or metadata-list) fields of a note."""

    authors: list[str] = field(default_factory=list)
    year: int | None = None
    paper: str | None = None
    code: str | None = None
    source: str | None = None
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    order: float | None = None
    prev: str | None = None
    next: str | None = None


@dataclass
class Note:
    """One parsed note."""

    id: str
    path: Path
    rel_path: str
    title: str
    meta: NoteMeta
    sections: list[Section]
    images: list[Image]
    text: str
    content_hash: str
    warnings: list[NoteWarning] = field(default_factory=list)

    @property
    def body_start_line(self) -> int:
        """First line after the front matter."""
        return self.sections[0].start_line if self.sections else 1


@dataclass
class NoteCollection:
    """The notes of a folder in reading order, plus the files that could not be read."""

    root: Path
    notes: list[Note]
    errors: list[NoteError]

    @property
    def warnings(self) -> list[NoteWarning]:
        """Every warning of every note."""
        return [w for note in self.notes for w in note.warnings]

    def find(self, key: str) -> Note | None:
        """A note by id, file path, title or alias (case-insensitive), else None."""
        return resolve_note(self.notes, key)


def slugify(text: str) -> str:
    """A lowercase, dash-separated identifier for `text`."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "note"


def load_notes(root: Path) -> NoteCollection:
    """Parse every note under `root` and put them in reading order; unreadable files are reported."""
    root = root.resolve()
    if not root.is_dir():
        raise NoteError(f"notes folder not found: {root}", "pass --notes DIR or set PAPERNOTES_NOTES")
    notes: list[Note] = []
    errors: list[NoteError] = []
    for path in find_note_files(root):
        try:
            notes.append(read_note(path, root))
        except NoteError as error:
            logger.debug("%s", error)
            errors.append(error)
    _warn_duplicate_titles(notes)
    return NoteCollection(root=root, notes=reading_order(notes), errors=errors)


def read_note(path: Path, root: Path) -> Note:
    """Read and parse one note file; raises NoteError naming the file (and line) when it can't."""
    rel = path.relative_to(root).as_posix()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise NoteError(f"{rel}: not a regular file; skipped")
        if info.st_size > MAX_NOTE_BYTES:
            raise _too_large(rel, info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(MAX_NOTE_BYTES + 1)  # bounded: the file may grow after stat
        if len(data) > MAX_NOTE_BYTES:
            raise _too_large(rel, len(data))
    except OSError as error:
        raise NoteError(f"{rel}: cannot read ({error.strerror or error})") from error
    text = decode_note(data, rel)
    return parse_note(text, path=path, root=root, content_hash=hashlib.sha256(data).hexdigest())


def _too_large(rel: str, size: int) -> NoteError:
    return NoteError(
        f"{rel}: note is {size / 1e6:.1f} MB, over the {MAX_NOTE_BYTES / 1e6:.0f} MB limit; skipped",
        "split it into smaller notes",
    )


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").use(front_matter_plugin)


_MD = _markdown()


def parse_note(text: str, *, path: Path, root: Path, content_hash: str | None = None) -> Note:
    """Parse Markdown `text` (the note at `path` under `root`) into a Note."""
    rel = path.relative_to(root).as_posix()
    if content_hash is None:
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    warnings: list[NoteWarning] = []
    tokens = _MD.parse(text)
    front: dict[str, Any] = {}
    body_start = 1
    if tokens and tokens[0].type == "front_matter":
        body_start = (tokens[0].map[1] if tokens[0].map else 0) + 1
        front = _load_front_matter(tokens[0].content, Path(rel), warnings)
        tokens = tokens[1:]
    elif text.startswith("---\n"):
        warnings.append(NoteWarning(Path(rel), 1, "front matter is not closed with '---'; read as text"))

    sections, images, first_heading = _walk(tokens, body_start, text.count("\n") + 1, path, root, rel, warnings)
    meta, title = _metadata(front, sections, Path(rel), warnings)
    title = title or first_heading or path.stem.replace("_", " ").replace("-", " ").strip() or rel
    _drop_title_heading(sections, title)
    if not any(s.blocks for s in sections):
        warnings.append(NoteWarning(Path(rel), None, "note has no text to index"))
    return Note(
        id=note_id_for(path, root),
        path=path,
        rel_path=rel,
        title=title,
        meta=meta,
        sections=sections,
        images=images,
        text=text,
        content_hash=content_hash,
        warnings=warnings,
    )


def _load_front_matter(content: str, rel: Path, warnings: list[NoteWarning]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(content) if content.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "invalid YAML"
        warnings.append(NoteWarning(rel, line, f"front matter ignored: {problem}"))
        return {}
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # safe_load raises these for values like `date: 2023-13-45` or very deep nesting
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        warnings.append(NoteWarning(rel, 1, f"front matter ignored: {reason}"))
        return {}
    if data is None:
        return {}
    if _exceeds(data, _MAX_FRONT_MATTER_VALUES):
        warnings.append(
            NoteWarning(rel, 1, f"front matter ignored: more than {_MAX_FRONT_MATTER_VALUES} values (aliases expanded)")
        )
        return {}
    if not isinstance(data, dict):
        warnings.append(
            NoteWarning(rel, 1, f"front matter ignored: expected key: value pairs, got {type(data).__name__}")
        )
        return {}
    return {str(k).strip().lower(): v for k, v in data.items()}


_MAX_FRONT_MATTER_VALUES = 10_000
"""YAML aliases can make a few lines stand for billions of values; such front matter is ignored."""


def _exceeds(data: Any, limit: int) -> bool:
    """Whether `data` holds more than `limit` values once aliases are expanded (stops counting early)."""
    stack = [data]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return False


def _inline_text(token: Token, images: list[tuple[str, str]] | None = None) -> str:
    """Plain text of an inline token: emphasis and link markup dropped, image alt text kept."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            alt = child.content or "".join(c.content for c in child.children or [])
            if images is not None:
                images.append((str(child.attrs.get("src", "")), alt))
            if alt:
                parts.append(f"[image: {alt}]")
        elif child.type == "html_inline":
            continue
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _walk(
    tokens: list[Token],
    body_start: int,
    last_line: int,
    path: Path,
    root: Path,
    rel: str,
    warnings: list[NoteWarning],
) -> tuple[list[Section], list[Image], str | None]:
    """Split the token stream into sections of blocks, collecting images."""
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
            heading = _inline_text(tokens[i + 1]) if i + 1 < len(tokens) else ""
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
            found: list[tuple[str, str]] = []
            body = _inline_text(tokens[i + 1], found)
            start, end = _lines(token, body_start)
            for src, alt in found:
                images.append(_image(src, alt, start, path, root, rel, warnings))
            if body:
                block_kind = "list_item" if in_item else "paragraph"
                sections[-1].blocks.append(Block(block_kind, body, start, end, max(0, list_depth - 1)))
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
                    cells.append(_inline_text(tokens[i]))
                elif tokens[i].type == "tr_close":
                    rows.append(" | ".join(cells))
                    cells = []
                i += 1
            if rows:
                sections[-1].blocks.append(Block("table", "\n".join(rows), start, end))
        elif kind == "html_block":
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


def _image(src: str, alt: str, line: int, path: Path, root: Path, rel: str, warnings: list[NoteWarning]) -> Image:
    """Resolve an image reference; only local files inside the notes folder get a `file`."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("//"):
        return Image(src=src, alt=alt, line=line, file=None)
    local = src.split("?", 1)[0].split("#", 1)[0]
    if not local:
        return Image(src=src, alt=alt, line=line, file=None)
    candidate = (path.parent / local).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        warnings.append(NoteWarning(Path(rel), line, f"image {src!r} points outside the notes folder; not read"))
        return Image(src=src, alt=alt, line=line, file=None)
    if not candidate.is_file():
        warnings.append(NoteWarning(Path(rel), line, f"image {src!r} not found"))
        return Image(src=src, alt=alt, line=line, file=None)
    return Image(src=src, alt=alt, line=line, file=candidate)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = re.split(r",|;|\band\b", text) if ("," in text or ";" in text or " and " in text) else [text]
    return [p.strip() for p in parts if p.strip()]


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _as_year(value: Any) -> int | None:
    if isinstance(value, int) and 1900 <= value <= 2100:
        return value
    match = _YEAR.search(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _as_order(value: Any, rel: Path, warnings: list[NoteWarning]) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        warnings.append(NoteWarning(rel, None, f"order {value!r} is not a number; ignored"))
        return None


def _metadata(
    front: dict[str, Any], sections: list[Section], rel: Path, warnings: list[NoteWarning]
) -> tuple[NoteMeta, str | None]:
    """NoteMeta and title from front matter, filled in from a metadata list near the top."""
    listed = _metadata_list(sections)
    merged: dict[str, Any] = {**listed, **{k: v for k, v in front.items() if v is not None}}
    meta = NoteMeta(
        authors=_as_list(merged.get("authors", merged.get("author"))),
        year=_as_year(merged.get("year", merged.get("date"))),
        paper=_as_text(merged.get("paper", merged.get("arxiv", merged.get("url")))),
        code=_as_text(merged.get("code", merged.get("github"))),
        source=_as_text(merged.get("source")),
        tags=_as_list(merged.get("tags", merged.get("keywords"))),
        aliases=_as_list(merged.get("aliases", merged.get("alias"))),
        order=_as_order(merged.get("order"), rel, warnings),
        prev=_as_text(merged.get("prev", merged.get("previous"))),
        next=_as_text(merged.get("next")),
    )
    return meta, _as_text(merged.get("title"))


def _metadata_list(sections: list[Section]) -> dict[str, Any]:
    """Fields from list items like `* **Title**: ...` in the first lines of a note."""
    found: dict[str, Any] = {}
    seen = 0
    for section in sections[:3]:
        for block in section.blocks:
            seen += 1
            if seen > 25:
                return found
            if block.kind != "list_item":
                continue
            match = _METADATA_LINE.match(block.text)
            if not match:
                continue
            key = METADATA_KEYS.get(match.group(1).strip().lower())
            if key and key not in found:
                found[key] = match.group(2).strip()
    return found


def _drop_title_heading(sections: list[Section], title: str) -> None:
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


def _warn_duplicate_titles(notes: list[Note]) -> None:
    shared = duplicate_titles(notes)
    for note in notes:
        if note.id in shared:
            note.warnings.append(NoteWarning(Path(note.rel_path), None, shared[note.id]))


def resolve_note(notes: Iterable[Note], key: str) -> Note | None:
    """Find a note by id, relative path, title, alias or slug (case-insensitive)."""
    wanted = key.strip().lower().removesuffix(".md")
    notes = list(notes)
    for getter in (
        lambda n: [n.id.lower()],
        lambda n: [n.rel_path.lower().removesuffix(".md")],
        lambda n: [n.title.lower()],
        lambda n: [a.lower() for a in n.meta.aliases],
        lambda n: [slugify(n.title), n.id.rsplit("/", 1)[-1].lower()],
    ):
        for note in notes:
            if wanted in getter(note):
                return note
    slug = slugify(wanted)
    for note in notes:
        if slug in (slugify(note.title), slugify(note.id.rsplit("/", 1)[-1])):
            return note
    return None


def reading_order(notes: list[Note]) -> list[Note]:
    """Order notes by `order`, then by prev/next links, then by title."""
    base = sorted(
        notes,
        key=lambda n: (n.meta.order is None, n.meta.order or 0.0, n.title.lower(), n.id),
    )
    following: dict[str, str] = {}
    has_prev: set[str] = set()
    for note in base:
        if note.meta.next:
            target = resolve_note(base, note.meta.next)
            if target and target.id != note.id and target.id not in has_prev:
                following.setdefault(note.id, target.id)
                has_prev.add(target.id)
    for note in base:
        if note.meta.prev:
            before = resolve_note(base, note.meta.prev)
            if before and before.id != note.id and note.id not in has_prev and before.id not in following:
                following[before.id] = note.id
                has_prev.add(note.id)
    by_id = {n.id: n for n in base}
    placed: set[str] = set()
    ordered: list[Note] = []

    def place_chain(start: Note) -> None:
        current: Note | None = start
        while current is not None and current.id not in placed:
            placed.add(current.id)
            ordered.append(current)
            nxt = following.get(current.id)
            current = by_id.get(nxt) if nxt else None

    for note in base:
        if note.id not in placed and note.id not in has_prev:
            place_chain(note)
    for note in base:
        if note.id not in placed:
            place_chain(note)
    return ordered
