"""Where a notes folder's index lives: in the folder when it is writable, else the user cache."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.store.database import DB_NAME

INDEX_DIR = ".papernotes"
INDEX_ENV = "PAPERNOTES_INDEX"
"""An index folder chosen explicitly (as `--index DIR` does)."""


@dataclass(frozen=True)
class IndexLocation:
    """An index folder and why it was chosen."""

    folder: Path
    why: str
    """"in the notes folder", "--index", "$PAPERNOTES_INDEX", or why the user cache is used."""

    @property
    def in_notes(self) -> bool:
        """Whether the index sits in the notes folder itself (the usual place)."""
        return self.why == "in the notes folder"

    @property
    def note(self) -> str | None:
        """One line for the output when the index is somewhere the user would not look (else None)."""
        if self.in_notes or self.why in ("--index", f"${INDEX_ENV}"):
            return None
        return f"index: {self.folder} ({self.why})"


def locate(root: Path, explicit: Path | None = None, *, read_only: bool = False) -> IndexLocation:
    """Where the index of the notes folder `root` lives.

    `explicit` (`--index DIR`) wins, then `$PAPERNOTES_INDEX`; otherwise `<root>/.papernotes` when it
    can be written, else a folder of the user cache keyed by the resolved notes path (also when
    `read_only`: notes the user must not change, such as the ones shipped in the package).
    """
    if explicit is not None:
        return IndexLocation(Path(explicit).expanduser().resolve(), "--index")
    configured = os.environ.get(INDEX_ENV)
    if configured:
        return IndexLocation(Path(configured).expanduser().resolve(), f"${INDEX_ENV}")
    root = Path(root).expanduser().resolve()
    if read_only:
        return IndexLocation(cache_folder(root), "the notes are read-only")
    if not root.is_dir() or writable(root / INDEX_DIR):
        return IndexLocation(root / INDEX_DIR, "in the notes folder")
    return IndexLocation(cache_folder(root), f"{root} can't be written")


def index_dir(root: Path) -> Path:
    """The index folder of a notes folder (see `locate`)."""
    return locate(root).folder


def cache_folder(root: Path) -> Path:
    """The user-cache index folder of a notes folder: its name and a hash of its resolved path."""
    from platformdirs import user_cache_dir  # deferred: only needed off the usual path

    resolved = str(Path(root).expanduser().resolve())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name).strip(".-")[:40] or "notes"
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(user_cache_dir("papernotes")) / "indexes" / f"{slug}-{digest}"


def writable(folder: Path) -> bool:
    """Whether an index could be written in `folder`: it (or, when missing, its parent) accepts writes.

    `os.access` reports a read-only mount (EROFS) even to root, who passes permission bits.
    """
    if folder.exists():
        database = folder / DB_NAME
        return os.access(folder, os.W_OK | os.X_OK) and (not database.exists() or os.access(database, os.W_OK))
    return os.access(folder.parent, os.W_OK | os.X_OK)
