"""The parsed note: its blocks, sections, images, metadata and the problems found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import NoteError


@dataclass(frozen=True)
class NoteWarning:
    """A problem found in a note that did not stop it from being indexed."""

    path: Path
    line: int | None
    message: str
    field: str | None = None
    """The metadata field the problem is about (`authors`, `year`…), if any."""

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
    width: int | None = None
    """Width in pixels asked for by an HTML `<img width=...>`, if any."""


METADATA_RULE = 2
"""The version of the rules reading a note's metadata (`indexer.frontmatter`, `indexer.text_year`): records
that keep metadata read by another are read again (`indexer.catalog`). 2: a year from a venue near the top
or the paper's arXiv id when the note states none."""


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
    year_line: int | None = None
    """The line of the note's byline the year was read from ("…, **CVPR 2021**"); None when front
    matter or a metadata list gave it. The body states such a year already: the About passage doesn't."""


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
    markdown: str = ""
    """The text with its HTML turned into Markdown, line for line: what the reader renders."""
    heading: str | None = None
    """The note's first heading, if it has one."""
    stem_name: str | None = None
    """The paper's name its file name gives, as the note writes it (`indexer.names.stem_name`: CICERO.md → CICERO)."""

    def __post_init__(self) -> None:
        if not self.markdown:
            self.markdown = self.text

    @property
    def body_start_line(self) -> int:
        """First line after the front matter."""
        return self.sections[0].start_line if self.sections else 1

    @property
    def short_name(self) -> str:
        """The name people know the paper by (see `indexer.names.short_name`)."""
        from indexer.names import short_name

        return short_name(self)

    @property
    def metadata_warnings(self) -> list[NoteWarning]:
        """The warnings about front matter fields (wrong types, bad values, broken YAML)."""
        return [w for w in self.warnings if w.field is not None]


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
        from indexer.names import resolve_note

        return resolve_note(self.notes, key)
