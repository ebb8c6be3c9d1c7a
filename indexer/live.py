"""A knowledge base kept in step with its notes folder for a long-running face (the MCP server).

Before each call the note files are stat-ed; only files whose signature changed are parsed again,
and the index is updated incrementally (one update at a time, shared by every caller that needs
it). Questions keep being answered from the open index (the store's reader snapshot) while an
update runs elsewhere, e.g. one a watcher started.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from indexer.errors import NoteError, PapernotesError
from indexer.knowledge import KnowledgeBase
from indexer.notes import (
    MAX_NOTE_BYTES,
    NOTE_SUFFIXES,
    Note,
    NoteCollection,
    read_note,
    reading_order,
)
from indexer.store import DB_NAME, BuildProgress

logger = logging.getLogger(__name__)

Signature = tuple[int, int, int, int]
"""(mtime_ns, ctime_ns, size, inode) of a note file: any edit, replace or rename changes it."""

RACY_NS = 2_000_000_000
"""A file modified less than this (2 s, coarse file-system clocks) before it was read may change again
without its signature changing: until it is older, each check compares its content too."""


def _same_content(path: str, parsed: Note | NoteError) -> bool:
    """Whether the file still holds the bytes `parsed` was made from (a NoteError is always read again)."""
    if isinstance(parsed, NoteError):
        return False
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read(MAX_NOTE_BYTES + 1)).hexdigest() == parsed.content_hash
    except OSError:
        return False


class NoteFiles:
    """The notes folder as last read: each note file is parsed once per version of it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._parsed: dict[str, tuple[Signature, Note | NoteError]] = {}
        self.unsettled: set[str] = set()
        """Files modified less than RACY_NS before they were read: checked by content until they settle."""

    def signatures(self) -> dict[str, Signature]:
        """The signature of every note file now: the files `find_note_files` finds, one stat each.

        Keyed by path string and walked with `os.scandir`: for 1000 notes ~3 ms, against ~10 ms
        through `find_note_files` and `Path.stat` (building the Path objects is half of that).
        """
        found: dict[str, Signature] = {}
        pending = [str(self.root)]
        while pending:
            folder = pending.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:  # removed or unreadable meanwhile: its notes are gone for now
                continue
            for entry in entries:
                name = entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not name.startswith((".", "_")):
                            pending.append(entry.path)
                    elif name.lower().endswith(NOTE_SUFFIXES) and not name.startswith("."):
                        info = entry.stat()
                        found[entry.path] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
                except OSError:  # deleted between listing and stat, or a dangling link
                    continue
        return found

    def collection(self, signatures: dict[str, Signature]) -> NoteCollection:
        """The notes in reading order, re-reading only the files whose signature changed."""
        notes: list[Note] = []
        errors: list[NoteError] = []
        for path, signature in signatures.items():
            read_ns = time.time_ns()
            cached = self._parsed.get(path)
            if cached is not None and path in self.unsettled and not _same_content(path, cached[1]):
                cached = None
            if cached is None or cached[0] != signature:
                try:
                    parsed: Note | NoteError = read_note(Path(path), self.root)
                except NoteError as error:
                    parsed = error
                cached = (signature, parsed)
                self._parsed[path] = cached
            if signature[0] >= read_ns - RACY_NS:
                self.unsettled.add(path)
            else:
                self.unsettled.discard(path)
            if isinstance(cached[1], NoteError):
                errors.append(cached[1])
            else:
                notes.append(cached[1])
        for gone in set(self._parsed) - set(signatures):
            del self._parsed[gone]
            self.unsettled.discard(gone)
        return NoteCollection(root=self.root, notes=reading_order(notes), errors=errors)


class LiveIndex:
    """A KnowledgeBase whose index follows its notes folder: `refresh()` before each call, or a watcher."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.files = NoteFiles(kb.root)
        self._synced: dict[str, Signature] | None = None
        """The signatures of the note files the index was last brought in step with."""
        self._collection: NoteCollection | None = None
        self._updating = threading.Lock()
        """Held while the index is brought in step: one update at a time."""
        self._parsing = threading.Lock()
        """Held while note files are parsed (the parse cache is not thread-safe); never waits for an update."""
        self._listeners: list[BuildProgress] = []
        self._listeners_lock = threading.Lock()
        self.warning: str | None = None
        """Why the index lags behind the notes (another process was writing it, or it can't be written), else None."""

    def notes(self) -> NoteCollection:
        """The notes on disk now (changed files parsed again), without touching the index."""
        signatures = self.files.signatures()
        collection = self._collection
        if collection is not None and signatures == self._synced and not self.files.unsettled:
            return collection
        with self._parsing:
            return self.files.collection(signatures)

    def has_index(self) -> bool:
        """Whether the notes folder has an index (of any state) yet."""
        return (self.kb.index_folder / DB_NAME).exists()

    def refresh(self, progress: BuildProgress | None = None) -> NoteCollection:
        """Bring the index in step with the notes folder and return the notes it matches.

        Costs one stat per note file when nothing changed. Otherwise changed files are parsed
        again and the index updated incrementally; a caller arriving during an update waits for
        that update (and, with `progress`, hears its progress) instead of starting another.
        """
        signatures = self.files.signatures()
        collection = self._collection
        if collection is not None and signatures == self._synced and not self.files.unsettled:
            return collection
        if progress is not None:
            with self._listeners_lock:
                self._listeners.append(progress)
        try:
            with self._updating:
                signatures = self.files.signatures()
                if self._collection is not None and signatures == self._synced and not self.files.unsettled:
                    return self._collection
                with self._parsing:
                    collection = self.files.collection(signatures)
                synced = self._update_index(collection)
                self._collection = collection
                self._synced = signatures if synced else None
                return collection
        finally:
            if progress is not None:
                with self._listeners_lock:
                    self._listeners.remove(progress)

    def _update_index(self, collection: NoteCollection) -> bool:
        """Update the index for `collection` (the store's stale-beats-broken refresh).

        False when it could not be written (another build holds it, a full or read-only disk):
        answers then come from the last good index and `warning` says why.
        """
        freshness = self.kb.refresh(collection=collection, progress=self._broadcast)
        self.warning = freshness.warning
        if freshness.warning:
            logger.warning("%s", freshness.warning)
        elif freshness.report is not None:
            logger.info("index updated: %s", freshness.report.summary())
        return not freshness.stale

    def _broadcast(self, stage: str, done: int, total: int) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(stage, done, total)
            except Exception as error:  # a listener that can't report (client gone) must not stop the build
                logger.debug("progress listener failed: %s", error)

    def warm_up(self) -> None:
        """Load the model and, when there is an index, bring it in step and open it: the first call answers fast.

        Without an index only the model loads: the first call builds the index, reporting progress.
        """
        try:
            if self.has_index():
                self.refresh()
                self.kb.retriever().embed("warm up")
            else:
                self.kb.encoder().encode_queries(["warm up"])
        except PapernotesError as error:  # the first call reports it
            logger.warning("%s", error)

    def start(self, *, watch: bool, stop: threading.Event) -> threading.Thread:
        """Warm up in a daemon thread, then (with `watch`) update the index whenever notes change, until `stop`."""

        def run() -> None:
            self.warm_up()
            if not watch or stop.is_set():
                return
            from indexer.watch import watch_notes

            def on_change() -> None:
                try:
                    if self.has_index():  # the first call builds a missing index, with progress
                        self.refresh()
                except PapernotesError as error:
                    logger.warning("%s", error)

            try:
                watch_notes(self.kb.root, on_change, stop)
            except Exception as error:  # e.g. too many inotify watches: calls still refresh on their own
                logger.warning("not watching %s: %s", self.kb.root, error)

        thread = threading.Thread(target=run, name="papernotes-live", daemon=True)
        thread.start()
        return thread
