"""Watching a notes folder: calls back (debounced) when notes (and, if asked, their figures) are added, changed or deleted."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from indexer.notes import NOTE_SUFFIXES
from indexer.store import INDEX_DIR

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 800
FIGURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff")
"""Image files a note's figures may be (what the reader decodes)."""


def is_note_change(path: str) -> bool:
    """Whether a changed path is a note (not the index folder, hidden files or other files)."""
    parts = Path(path).parts
    if INDEX_DIR in parts or any(p.startswith(".") for p in parts[-1:]):
        return False
    return path.lower().endswith(NOTE_SUFFIXES)


def is_figure_change(path: str) -> bool:
    """Whether a changed path is an image a note may show (not in the index folder, not hidden)."""
    parts = Path(path).parts
    if INDEX_DIR in parts or any(p.startswith(".") for p in parts[-1:]):
        return False
    return path.lower().endswith(FIGURE_SUFFIXES)


def watch_notes(
    root: Path, on_change: Callable[[], None], stop: threading.Event, *, figures: bool = False
) -> None:
    """Block, calling `on_change` after each debounced burst of note changes (and of image files, with
    `figures`: a reader redraws a changed figure), until `stop` is set.

    `on_change` also runs once as soon as the watcher is listening, so that changes made between
    the caller's last update and the start of watching are not missed.
    """
    from watchfiles import watch  # deferred: only the watcher needs it

    caught_up = False
    for changes in watch(
        root,
        watch_filter=lambda _change, path: is_note_change(path) or (figures and is_figure_change(path)),
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        rust_timeout=1000,
        yield_on_timeout=True,
    ):
        if changes:
            logger.info("notes changed: %s", sorted(p for _, p in changes)[:5])
        if changes or not caught_up:
            caught_up = True
            on_change()
