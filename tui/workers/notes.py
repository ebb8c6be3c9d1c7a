"""Work on the notes folder: the list from the catalog first, the notes loaded and compared with the index, the folder watched."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING

from textual import work

from indexer.notemodel import NoteCollection
from indexer.store import IndexStatus
from tui.messages import NotesChangedOnDisk, NotesFailed, NotesListed, NotesLoaded
from tui.text import one_line, short_title
from tui.workers.support import while_running

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from indexer.knowledge import KnowledgeBase
    from tui.app import PapernotesApp

logger = logging.getLogger(__name__)

LIST_PAINT_WAIT = 2.0
"""Seconds the first full parse of the notes waits for the quick list to be painted (it is, in ~0.1 s)."""
FIRST_FRAME_WAIT = 0.3
"""Seconds the first frame waits for the quick list (~0.03 s of reading for 1,000 notes, begun when the
app was made), so that it shows the notes; a slower one (a first start on thousands of notes) is shown
when it is ready, the list saying "loading" until then."""


class QuickList:
    """The notes as the catalog knows them and the index's state, read in a thread from the moment the app is made."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.catalog: Catalog | None = None
        """The notes (new ones glanced at), once read; None if that failed (the full load says why)."""
        self.status: IndexStatus | None = None
        """How the index compares with them, if that could be told."""
        self.done = threading.Event()
        """Set once the reading ended."""
        threading.Thread(target=self._read, args=(kb,), name="papernotes-quick-list", daemon=True).start()

    def _read(self, kb: KnowledgeBase) -> None:
        try:
            self.catalog = kb.catalog(quick=True)
            self.status = kb.status(self.catalog)  # the same hashes the parsed notes will have
        except Exception as error:
            logger.info("no quick list of %s: %s", kb.root, error)
        finally:
            self.done.set()

    def wait(self, timeout: float | None = None) -> Catalog | None:
        """The notes, waiting at most `timeout` seconds for them (None: not read, or not yet)."""
        self.done.wait(timeout)
        return self.catalog


class NotesWork:
    """Listing, loading and watching the notes (mixed into PapernotesApp)."""

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def _load_notes(self: PapernotesApp) -> None:
        """Parse the notes folder and compare it with the index (no model needed).

        At start-up the list comes first from the catalog (file stats and cached records: ~0.3 s
        for 1,000 notes where parsing them all takes ~2 s), with the last note read parsed alone.
        """
        glanced = False
        if not self._started and (listed := self._list_from_catalog()) is not None:
            glanced = listed.glanced > 0
            # Parsing holds the GIL for seconds: let the list paint first (bounded, should it never).
            self._listed.wait(LIST_PAINT_WAIT)
        try:
            collection = self.kb.notes()
        except Exception as error:  # a missing folder is a message, not a crash
            self.post_message(NotesFailed(error))
            return
        status: IndexStatus | None = None
        problem: str | None = None
        try:
            status = self.kb.status(collection)
        except Exception as error:
            problem = str(error)
        self.post_message(NotesLoaded(collection, status, problem))
        if glanced:  # remember the notes' records, so the next start lists them from the catalog
            with contextlib.suppress(Exception):
                self.kb.catalog()

    def _list_from_catalog(self: PapernotesApp) -> Catalog | None:
        """Post the notes as the catalog knows them (read since the app was made), the index's state and the last note read."""
        catalog = self.quick_list.wait()
        if catalog is None:
            return None
        try:
            last, _ = self.config.note_to_reopen(self.kb.root)
            info = catalog.find(last) if last else None
            from indexer.notes import read_note  # noqa: I001 - the Markdown parser, in this thread

            first = read_note(self.kb.root / info.rel_path, self.kb.root) if info is not None else None
        except Exception as error:  # the full load that follows reports what is wrong
            logger.info("last note of %s not read: %s", self.kb.root, error)
            first = None
        self.post_message(NotesListed(catalog, first, self.quick_list.status))
        return catalog

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self: PapernotesApp) -> None:
        """Watch the notes folder until the app exits."""
        from indexer.watch import watch_notes  # deferred: imports watchfiles

        try:
            watch_notes(self.kb.root, lambda: self.post_message(NotesChangedOnDisk()), self._stop, figures=True)
        except Exception:
            logger.exception("watching %s stopped", self.kb.root)

    @while_running
    async def on_notes_loaded(self: PapernotesApp, message: NotesLoaded) -> None:
        self.state.status, self.state.status_problem = message.status, message.problem
        await self._use_collection(message.collection)
        if not self._started:
            self._started = True
            # After the list is on screen: the model's imports would hold the GIL while it paints.
            self.call_after_refresh(self._start_model_load)
            last, skipped = self.config.note_to_reopen(self.kb.root)
            if skipped is not None and not self.touched:
                self._say_not_reopened(skipped, message.collection)
            early = self.main.reader.note
            if self._pending_open is not None:
                key, citation, jump = self._pending_open
                self._pending_open = None
                await self.open_note(key, citation, jump=jump)
            elif early is not None and self.main.showing_reader:
                fresh = message.collection.find(early.id)
                if fresh is not None:
                    self._note_shown(fresh)
            elif last and not self.touched and message.collection.find(last) is not None:
                await self.open_note(last)
            self.call_after_refresh(self._replay_type_ahead)  # the note reopened, if it was: keys typed for it go to it
            self._offer_build(message.status)
        elif self._check_disk:
            self._check_disk = False
            status = message.status
            if self._auto_update and status is not None and status.exists and not status.up_to_date:
                self.update_index(quiet=True)

    def _say_not_reopened(self: PapernotesApp, note_id: str, collection: NoteCollection) -> None:
        note = collection.find(note_id)
        name = short_title(note) if note is not None else note_id
        self.notify(
            f"The app stopped on an error while showing {one_line(name)} last time, so it opened on the library.",
            title="Not reopened",
            severity="warning",
            markup=False,
        )

    @while_running
    def on_notes_listed(self: PapernotesApp, message: NotesListed) -> None:
        if self.collection is not None:
            return  # the full collection came first
        catalog = message.catalog
        if self.main.library.collection is not catalog:  # not listed in the first frame
            self.main.library.set_notes(catalog)
            self.show_listed(catalog, message.status)
        if message.first is not None and not self.touched:
            self.show_early(message.first, [n.id for n in catalog.notes])
        self.call_after_refresh(self._replay_type_ahead)  # the note reopened, if it was: keys typed for it go to it

    def show_listed(self: PapernotesApp, catalog: Catalog, status: IndexStatus | None) -> None:
        """Say what the quick list on screen holds; the full parse may start once it is painted."""
        self.call_after_refresh(self._listed.set)
        self.state.notes, self.state.unreadable = len(catalog.notes), len(catalog.errors)
        if status is not None:
            self.state.status = status
        self._show_state()

    @while_running
    def on_notes_failed(self: PapernotesApp, message: NotesFailed) -> None:
        error = message.error
        self.state.status_problem = str(error)
        self.main.library.set_notes(NoteCollection(self.kb.root, [], []))
        if not self._started:
            self._model_loaded.set()  # no model load follows: a question asked meanwhile is answered (it says why not)
            self.call_after_refresh(self._replay_type_ahead)
        self._show_state()
        self._notify_error(error)

    @while_running
    def on_notes_changed_on_disk(self: PapernotesApp) -> None:
        # Reloading the notes is cheap (no model); the status then tells whether the index is behind.
        if self.state.building:
            self._disk_changed_in_build = True
        self._check_disk = True
        self._load_notes()
