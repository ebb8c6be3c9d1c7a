"""The notes shipped with papernotes: `content/` in a clone, the `papernotes_content` package in a wheel."""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "papernotes_content"
"""The wheel's copy of `content/` (mapped in setup.py; content/ stays at the top of the repo)."""


def repo_notes() -> Path | None:
    """`content/` beside the package in a clone (or an editable install of one)."""
    repo = Path(__file__).resolve().parent.parent
    content = repo / "content"
    return content if content.is_dir() and (repo / "pyproject.toml").is_file() else None


def installed_notes() -> Path | None:
    """The notes installed with the wheel (read-only: they live in site-packages)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location)
        if path.name == PACKAGE and path.is_dir():  # an editable install maps the name onto content/
            return path
    return None


def shipped_notes() -> Path | None:
    """The shipped notes: the clone's `content/`, else the wheel's copy."""
    return repo_notes() or installed_notes()


def is_installed_copy(root: Path) -> bool:
    """Whether `root` is the wheel's copy of the shipped notes (never written: its index goes to the cache)."""
    installed = installed_notes()
    return installed is not None and Path(root).resolve() == installed.resolve()


@dataclass
class CopyReport:
    """What `papernotes init` copied."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files already in the folder, left as they were."""


def copy_shipped(destination: Path) -> CopyReport:
    """Copy the shipped notes into `destination`, never overwriting a file that is already there."""
    from indexer.errors import PapernotesError

    source = shipped_notes()
    if source is None:
        raise PapernotesError("no shipped notes found in this installation", "reinstall papernotes")
    destination = destination.expanduser().resolve()
    if destination.exists() and not destination.is_dir():
        raise PapernotesError(f"{destination} is a file, not a folder", "pass another folder: papernotes init DIR")
    report = CopyReport(destination)
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or not path.is_file():
            continue  # the index folder, caches, hidden files
        target = destination / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "xb") as out, open(path, "rb") as src:  # "x": fails if it exists
                shutil.copyfileobj(src, out)
        except FileExistsError:
            report.kept.append(rel.as_posix())
            continue
        except BaseException:
            target.unlink(missing_ok=True)  # only ever the file this call created
            raise
        os.utime(target, (path.stat().st_atime, path.stat().st_mtime))
        report.copied.append(rel.as_posix())
    return report
