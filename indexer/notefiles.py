"""Which files are notes: the notes folder, finding note files, their ids, decoding them (no Markdown parser)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from indexer.errors import NoteError

NOTE_SUFFIXES = (".md", ".markdown")
MAX_NOTE_BYTES = 2_000_000
"""Notes larger than this are skipped with a warning (a 2 MB note is ~300k words)."""


MAX_NESTING = 200
"""markdown-it's nesting limit for notes (its CommonMark preset's 20 drops list items deeper than 9 levels, text and all:
every level costs two). Outline-style notes nest deeper; the reader, index and HTML conversion all parse with this one."""


def default_notes_dir() -> Path:
    """`$PAPERNOTES_NOTES`, else the shipped notes (a clone's `content/`, or the wheel's copy), else ./content."""
    from indexer.shipped import shipped_notes

    configured = os.environ.get("PAPERNOTES_NOTES")
    if configured:
        return Path(configured).expanduser()
    return shipped_notes() or Path.cwd() / "content"


def note_id_for(path: Path, root: Path) -> str:
    """The id of the note at `path`: its path under `root` without suffix, `/`-separated."""
    rel = path.relative_to(root)
    return rel.with_suffix("").as_posix()


def find_note_files(root: Path) -> list[Path]:
    """Every note file under `root`, sorted; hidden folders are skipped, symlinked folders not followed."""
    return [Path(path) for _, path in note_paths(root)]


def note_paths(root: Path) -> list[tuple[str, str]]:
    """(path under `root` with `/`, full path) of every note file, in `find_note_files` order, without Path objects.

    As `os.walk(root, followlinks=False)` lists them (a folder's files, then its folders in name order),
    at a fraction of the cost: 10k notes are listed in ~20 ms.
    """
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        folders: list[tuple[str, str]] = []
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not name.startswith((".", "_")) and not entry.is_symlink():
                    folders.append((entry.path, f"{prefix}{name}/"))
            elif name.lower().endswith(NOTE_SUFFIXES) and not name.startswith("."):
                found.append((f"{prefix}{name}", entry.path))
        for path, rel in folders:
            walk(path, rel)

    walk(str(root), "")
    return found


def decode_note(data: bytes, rel: str) -> str:
    """UTF-8 text of a note file, or NoteError naming the line of the first bad byte."""
    if b"\x00" in data[:8192]:
        raise NoteError(f"{rel}: looks like a binary file, not Markdown; skipped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise NoteError(
            f"{rel}:{line}: not valid UTF-8 (byte 0x{data[error.start]:02x}); skipped",
            "save the file as UTF-8",
        ) from error
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _Titled(Protocol):
    id: str
    rel_path: str
    title: str


def duplicate_titles(notes: Iterable[_Titled]) -> dict[str, str]:
    """The warning message for each note whose title another note shares, by note id."""
    by_title: dict[str, list[_Titled]] = {}
    for note in notes:
        by_title.setdefault(note.title.strip().lower(), []).append(note)
    found: dict[str, str] = {}
    for same in by_title.values():
        if len(same) > 1:
            others = ", ".join(n.rel_path for n in same)
            for note in same:
                found[note.id] = f"title {note.title!r} is shared by {others}"
    return found
