"""Watching a notes folder: calls back (debounced) when notes are added, changed or deleted."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from indexer.notes import NOTE_SUFFIXES
from indexer.store import INDEX_DIR

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 800


def is_note_change(path: str) -> bool:
    """Whether a changed path is a note (not the index folder, hidden files or other files)."""
    parts = Path(path).parts
    if INDEX_DIR in parts or any(p.startswith(".") for p in parts[-1:]):
        return False
    return path.lower().endswith(NOTE_SUFFIXES)


def watch_notes(root: Path, on_change: Callable[[], None], stop: threading.Event) -> None:
    """Block, calling `on_change` after each debounced burst of note changes, until `stop` is set.

    `on_change` also runs once as soon as the watcher is listening, so that changes made between
    the caller's last update and the start of watching are not missed.
    """
    from watchfiles import watch  # deferred: only the watcher needs it

    caught_up = False
    for changes in watch(
        root,
        watch_filter=lambda _change, path: is_note_change(path),
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
