"""An outside note collection imported, as a user would, into a cached notes folder to evaluate on."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from indexer.errors import PapernotesError

logger = logging.getLogger(__name__)

CACHE_SUBFOLDER = "eval-collections"
"""Under the papernotes cache folder (`$PAPERNOTES_CACHE_DIR` or the platform's): one notes folder per source."""


def collection_notes_dir(source: Path, cache: Path | None = None) -> Path:
    """The notes folder an outside collection at `source` is imported into (not created here).

    Keyed by the source's resolved path, so repeated evaluations reuse the imported notes and
    their index (an unchanged note is neither rewritten nor re-embedded).
    """
    from indexer.onnx_export import cache_dir

    resolved = Path(os.path.realpath(source.expanduser()))
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:12]
    return (cache or cache_dir()) / CACHE_SUBFOLDER / f"{resolved.name or 'root'}-{digest}"


def import_collection(source: Path, notes_dir: Path | None = None) -> Path:
    """Import the notes under `source` into `notes_dir` (default: its cache folder) and return that folder.

    `source` is only read. A note that changed in `source` replaces its imported copy: the
    imported folder mirrors the source and nobody edits it.
    """
    from indexer.importers import import_sources

    source = Path(os.path.abspath(source.expanduser()))
    if not source.is_dir():
        raise PapernotesError(
            f"collection {source} is not a folder",
            "pass --collection with the folder of notes the questions are about",
        )
    target = notes_dir or collection_notes_dir(source)
    report = import_sources([source], target, force=True)
    if report.failed and not (report.imported or report.unchanged):
        raise PapernotesError(f"nothing could be imported from {source}: {report.failed[0][1]}")
    logger.info("collection %s imported into %s: %s", source, target, report.summary())
    return target
