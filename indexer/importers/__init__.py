"""`papernotes import`: Streamlit pages and Markdown notes → notes, written safely and idempotently."""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from indexer.errors import ImportFailed
from indexer.fileio import atomic_write_bytes
from indexer.importers.converted import ConvertedNote, ImageCopy, SkipSource
from indexer.importers.markdown import convert_note
from indexer.importers.selection import NOT_A_NOTE, TEMPLATE_WORDS, is_repository_file
from indexer.importers.streamlit import convert_page

logger = logging.getLogger(__name__)

__all__ = [
    "ConvertedNote",
    "ImageCopy",
    "ImportReport",
    "convert_note",
    "convert_page",
    "import_sources",
]

EXISTS = "exists; use --force"
"""Why a source is skipped when its note (or one of its images) differs from what is on disk."""

PAGE_SUFFIXES = (".py",)
NOTE_SUFFIXES = (".md", ".markdown")
_SKIPPED_FOLDERS = {"__pycache__", "node_modules", "site-packages", "venv", "env"}


@dataclass
class ImportReport:
    """What an import did, source by source."""

    imported: list[Path] = field(default_factory=list)
    """Notes written: new, or changed with `force`."""
    unchanged: list[Path] = field(default_factory=list)
    """Notes already there with the same content (and images)."""
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """(source, reason): not a page, empty, home page, exists with different content…"""
    failed: list[tuple[Path, str]] = field(default_factory=list)
    """(source, message naming file and line): unreadable, not UTF-8, syntax errors…"""
    warnings: list[str] = field(default_factory=list)
    """`page.py:12: skipped dynamic st.markdown(...)` and the like."""

    def summary(self) -> str:
        """One line: "imported 3, unchanged 1, skipped 1 (exists; use --force), failed 0".

        Files that are not paper notes are named: "skipped 2 (not a paper note: README.md,
        Summary_Template.md; --all imports them)".
        """
        reasons = Counter(reason for _, reason in self.skipped)
        why = ", ".join(
            self._not_notes(n) if reason == NOT_A_NOTE else reason if n == 1 else f"{reason} x{n}"
            for reason, n in reasons.items()
        )
        parts = [
            f"imported {len(self.imported)}",
            f"unchanged {len(self.unchanged)}",
            f"skipped {len(self.skipped)}" + (f" ({why})" if why else ""),
            f"failed {len(self.failed)}",
        ]
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) > 1 else ''}")
        return ", ".join(parts)


    def _not_notes(self, count: int) -> str:
        names = [
            f"{path.parent.name}/{path.name}" if path.parent.name.casefold() in TEMPLATE_WORDS else path.name
            for path, reason in self.skipped
            if reason == NOT_A_NOTE
        ]
        shown = ", ".join(names[:4]) + (f" and {count - 4} more" if count > 4 else "")
        return f"{NOT_A_NOTE}: {shown}; --all imports them"


@dataclass(frozen=True)
class _Source:
    path: Path
    root: Path
    """The source tree this file came from: images outside it are never read."""
    display: str
    """How messages name the file: its path under `root`."""


def import_sources(
    sources: list[Path], notes_dir: Path, *, force: bool = False, keep_all: bool = False
) -> ImportReport:
    """Import Streamlit pages (`.py`), Markdown notes, or folders of them into `notes_dir`.

    In a folder, files that aren't paper notes (README, CONTRIBUTING, LICENSE…, and templates:
    a placeholder title like `PAPER_TITLE`, or a template's name with a template's content, see
    `selection.is_template`) are skipped unless `keep_all`.

    A note is written to `<notes_dir>/<id>.md` and its images to `<notes_dir>/<id>/`. An existing
    note or image with different content is only replaced with `force`; an identical one is left
    untouched. Every problem with a source ends up in the report; the only exception raised is
    ImportFailed, for a notes folder that cannot be created or written.
    """
    notes_dir = _usable_folder(notes_dir)
    report = ImportReport()
    seen: set[str] = set()
    ids: dict[str, str] = {}
    for source in sources:
        for item in _expand(Path(source), notes_dir, report, keep_all):
            key = os.path.realpath(item.path)
            if key not in seen:
                seen.add(key)
                _import_one(item, notes_dir, force, report, ids, keep_all)
    logger.info("import into %s: %s", notes_dir, report.summary())
    return report


def _usable_folder(notes_dir: Path) -> Path:
    """`notes_dir`, created if needed; ImportFailed when it can't be created or written."""
    hint = "pass --notes DIR with a folder you can write to"
    try:
        notes_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImportFailed(
            f"cannot use notes folder {notes_dir}: {error.strerror or error}", hint
        ) from None
    if not os.access(notes_dir, os.W_OK | os.X_OK):
        raise ImportFailed(f"notes folder {notes_dir} is not writable", hint)
    return notes_dir


def _expand(source: Path, notes_dir: Path, report: ImportReport, keep_all: bool) -> list[_Source]:
    """The files to import for one source argument, in a stable order."""
    if source.is_file():
        if source.suffix.lower() not in PAGE_SUFFIXES + NOTE_SUFFIXES:
            report.skipped.append((source, "not a .py or .md file"))
            return []
        return [_source(source, source.parent)]
    if not source.is_dir():
        report.failed.append((source, f"{source}: no such file or folder"))
        return []
    notes_real = os.path.realpath(notes_dir)
    found: list[_Source] = []
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIPPED_FOLDERS
            and not (here / d / "pyvenv.cfg").exists()
            and os.path.realpath(here / d) != notes_real
        )
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in PAGE_SUFFIXES + NOTE_SUFFIXES:
                continue
            if not keep_all and Path(name).suffix.lower() in NOTE_SUFFIXES and is_repository_file(Path(name)):
                report.skipped.append((here / name, NOT_A_NOTE))
                continue
            found.append(_source(here / name, source))
    return found


def _source(path: Path, base: Path) -> _Source:
    """Where `path` came from. Pages in a `pages/` folder belong to the Streamlit app around it."""
    root = Path(os.path.abspath(base))
    if path.suffix.lower() in PAGE_SUFFIXES and root.name == "pages":
        root = root.parent
    display = Path(os.path.abspath(path)).relative_to(root).as_posix()
    return _Source(path=path, root=root, display=display)


def _import_one(
    item: _Source,
    notes_dir: Path,
    force: bool,
    report: ImportReport,
    ids: dict[str, str],
    keep_all: bool,
) -> None:
    """Convert one file and write its note and images, unless they are there already."""
    try:
        if item.path.suffix.lower() in PAGE_SUFFIXES:
            note = convert_page(item.path, item.root, item.display)
        else:
            note = convert_note(item.path, item.root, item.display, keep_all=keep_all)
    except SkipSource as reason:
        report.skipped.append((item.path, str(reason)))
        return
    except ImportFailed as error:
        report.failed.append((item.path, str(error)))
        return
    except Exception as error:  # a bug in a converter must not cost the other sources
        logger.exception("converting %s", item.display)
        report.failed.append(
            (item.path, f"{item.display}: could not convert ({type(error).__name__})")
        )
        return
    report.warnings.extend(note.warnings)
    if not note.id or ".." in PurePosixPath(note.id).parts or PurePosixPath(note.id).is_absolute():
        report.failed.append((item.path, f"{item.display}: unusable note id {note.id!r}"))
        return
    if note.id in ids:
        report.skipped.append((item.path, "duplicate note id"))
        report.warnings.append(
            f"{item.display}: note id {note.id!r} already imported from {ids[note.id]}"
        )
        return
    ids[note.id] = str(item.path)
    target = notes_dir / f"{note.id}.md"
    try:
        files = [(notes_dir / image.target, image.source.read_bytes()) for image in note.images]
    except OSError as error:
        report.failed.append(
            (item.path, f"{item.display}: cannot read image ({error.strerror or error})")
        )
        return
    files.append(
        (target, note.markdown.encode("utf-8"))
    )  # last: a note never links to a missing copy
    changed = [(path, data) for path, data in files if _differs(path, data)]
    if not changed:
        report.unchanged.append(target)
        return
    if not force and any(path.exists() or path.is_symlink() for path, _ in changed):
        report.skipped.append((item.path, EXISTS))
        return
    for path, data in changed:
        try:
            atomic_write_bytes(path, data)
        except OSError as error:
            report.failed.append(
                (item.path, f"{item.display}: cannot write {path} ({error.strerror or error})")
            )
            return
    report.imported.append(target)


def _differs(path: Path, data: bytes) -> bool:
    """True unless `path` already holds exactly `data`."""
    try:
        return path.read_bytes() != data
    except OSError:
        return True
