"""Notes: finding Markdown notes, reading them (bounded, UTF-8) and parsing them into a Note; reading order."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import stat
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from indexer.errors import FolderMissingError, NoteError
from indexer.frontmatter import METADATA_KEYS, FrontMatter, load_front_matter, note_metadata
from indexer.html import HtmlImage, convert_html
from indexer.names import resolve_note, short_name, slugify, stem_name
from indexer.notefiles import (
    MAX_NESTING,
    MAX_NOTE_BYTES,
    NOTE_SUFFIXES,
    decode_note,
    duplicate_titles,
    find_note_files,
    note_id_for,
)
from indexer.notemodel import Block, Image, Note, NoteCollection, NoteMeta, NoteWarning, Section
from indexer.order import reading_order
from indexer.structure import drop_title_heading, note_sections

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_NOTE_BYTES",
    "METADATA_KEYS",
    "NOTE_SUFFIXES",
    "Block",
    "Image",
    "Note",
    "NoteCollection",
    "NoteMeta",
    "NoteWarning",
    "Section",
    "decode_note",
    "find_note_files",
    "load_notes",
    "note_id_for",
    "parse_note",
    "read_note",
    "reading_order",
    "resolve_note",
    "short_name",
    "slugify",
]

def load_notes(root: Path) -> NoteCollection:
    """Parse every note under `root` and put them in reading order; unreadable files are reported."""
    root = root.resolve()
    if not root.is_dir():
        raise FolderMissingError(root)
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
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough").use(front_matter_plugin)


_MD = _markdown()


def parse_note(text: str, *, path: Path, root: Path, content_hash: str | None = None) -> Note:
    """Parse Markdown `text` (the note at `path` under `root`) into a Note.

    HTML in the text is first turned into Markdown line for line (`indexer.html`), so captions are
    indexed, `<img>` images are resolved like Markdown ones, and line numbers stay those of the file.
    """
    rel = path.relative_to(root).as_posix()
    if content_hash is None:
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    warnings: list[NoteWarning] = []
    tokens = _MD.parse(text)
    converted = convert_html(text, tokens)
    if converted.markdown != text:
        tokens = _MD.parse(converted.markdown)
    front = FrontMatter({}, {})
    body_start = 1
    if tokens and tokens[0].type == "front_matter":
        body_start = (tokens[0].map[1] if tokens[0].map else 0) + 1
        front = load_front_matter(tokens[0].content, Path(rel), warnings)
        tokens = tokens[1:]
    elif text.startswith("---\n"):
        warnings.append(
            NoteWarning(
                Path(rel), 1, "front matter is not closed with '---'; read as text", "front matter"
            )
        )

    last_line = text.count("\n") + 1
    sections, images, first_heading = note_sections(
        tokens, body_start, last_line, path, root, rel, warnings
    )
    images = _with_widths(images, converted.images)
    meta, title = note_metadata(front, sections, Path(rel), warnings, converted.markdown.split("\n"))
    title = title or first_heading or path.stem.replace("_", " ").replace("-", " ").strip() or rel
    drop_title_heading(sections, title)
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
        markdown=converted.markdown,
        heading=first_heading,
        stem_name=stem_name(path.stem, title, text),
    )


def _with_widths(images: list[Image], html_images: list[HtmlImage]) -> list[Image]:
    """The images, those written as HTML `<img width=...>` with their width."""
    pending = list(html_images)
    result: list[Image] = []
    for image in images:
        src = unquote(image.src)
        match = next((h for h in pending if unquote(h.src) == src and h.line >= image.line), None)
        if match is not None:
            pending.remove(match)
            image = dataclasses.replace(image, width=match.width)
        result.append(image)
    return result


def _warn_duplicate_titles(notes: list[Note]) -> None:
    shared = duplicate_titles(notes)
    for note in notes:
        if note.id in shared:
            note.warnings.append(NoteWarning(Path(note.rel_path), None, shared[note.id]))
