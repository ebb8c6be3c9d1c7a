"""An outside note collection imported, as a user would, into a cached notes folder to evaluate on."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

from indexer.errors import PapernotesError

logger = logging.getLogger(__name__)

CACHE_SUBFOLDER = "eval-collections"
"""Under the papernotes cache folder (`$PAPERNOTES_CACHE_DIR` or the platform's): one notes folder per source."""
_INDEXER = Path(__file__).resolve().parent
IMPORTER_SOURCES = ("importers", "html.py", "html_elements.py")
"""What decides an imported note's text: the importer package and the HTML rewriting it calls (under indexer/)."""


@lru_cache(maxsize=1)
def importer_version(package: Path = _INDEXER) -> str:
    """A digest of the importer's source (IMPORTER_SOURCES under `package`, every .py file in them): a changed
    importer is a new version."""
    digest = hashlib.sha256()
    for name in IMPORTER_SOURCES:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def collection_notes_dir(source: Path, cache: Path | None = None, version: str | None = None) -> Path:
    """The notes folder an outside collection at `source` is imported into (not created here).

    Keyed by the source's resolved path and the importer's version (`importer_version`), so
    repeated evaluations reuse the imported notes and their index (an unchanged note is neither
    rewritten nor re-embedded), while a changed importer imports afresh into a folder of its own.
    """
    from indexer.onnx_export import cache_dir

    resolved = Path(os.path.realpath(source.expanduser()))
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:12]
    return (cache or cache_dir()) / CACHE_SUBFOLDER / f"{resolved.name or 'root'}-{digest}-{version or importer_version()}"


def remove_stale_imports(current: Path) -> list[Path]:
    """Remove the folders the same source was imported into by other importer versions (or before versions
    were in the key); return them."""
    keyed = current.name.rsplit("-", 1)[0]
    if not current.parent.is_dir():
        return []
    stale = [
        p for p in current.parent.iterdir()
        if p.is_dir() and p != current
        and (p.name == keyed or (p.name.startswith(keyed + "-") and p.name.count("-") == current.name.count("-")))
    ]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
        logger.info("removed %s, imported by another importer version", path)
    return stale


def import_collection(source: Path, notes_dir: Path | None = None) -> Path:
    """Import the notes under `source` into `notes_dir` (default: its cache folder) and return that folder.

    `source` is only read. A note that changed in `source` replaces its imported copy: the
    imported folder mirrors the source and nobody edits it. In the cache, what an older
    importer version wrote for the same source is removed.
    """
    from indexer.importers import import_sources

    source = Path(os.path.abspath(source.expanduser()))
    if not source.is_dir():
        raise PapernotesError(
            f"collection {source} is not a folder",
            "pass --collection with the folder of notes the questions are about",
        )
    target = notes_dir or collection_notes_dir(source)
    if notes_dir is None:
        remove_stale_imports(target)
    report = import_sources([source], target, force=True)
    if report.failed and not (report.imported or report.unchanged):
        raise PapernotesError(f"nothing could be imported from {source}: {report.failed[0][1]}")
    logger.info("collection %s imported into %s: %s", source, target, report.summary())
    return target
