"""The app's background work (notes, model, index builds, answers, related notes, watching) and what its reports change."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import work
from textual.worker import get_current_worker

from indexer.answer import Answer
from indexer.errors import IndexMissingError, PapernotesError
from indexer.notemodel import NoteCollection
from indexer.store import BuildCancelled, IndexStatus
from tui.config import save_config
from tui.messages import (
    AnswerFailed,
    AnswerReady,
    BuildFailed,
    BuildFinished,
    BuildProgressed,
    ModelFailed,
    ModelReady,
    NotesChangedOnDisk,
    NotesFailed,
    NotesListed,
    NotesLoaded,
    RelatedReady,
)
from tui.pieces import pieces_of
from tui.screens.build_offer import BuildOffer
from tui.text import one_line

if TYPE_CHECKING:
    from tui.app import PapernotesApp

logger = logging.getLogger(__name__)

Handler = TypeVar("Handler", bound=Callable[..., Any])

LIST_PAINT_WAIT = 2.0
"""Seconds the first full parse of the notes waits for the quick list to be painted (it is, in ~0.1 s)."""
INDEX_WAIT = 30.0
"""Seconds a build waits for another process (e.g. `papernotes index --watch`) holding the index lock."""


def while_running(handler: Handler) -> Handler:
    """Skip a worker's report that arrives while the app shuts down (its widgets are gone by then)."""

    @functools.wraps(handler)
    async def guarded(self: PapernotesApp, *args: Any) -> None:
        if self.is_running:
            result = handler(self, *args)
            if inspect.isawaitable(result):
                await result

    return cast(Handler, guarded)


class Workers:
    """The app's part that works in the background (mixed into PapernotesApp)."""

    # --- workers (threads: they must not touch widgets, they post messages) ---------------------

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False)
    def _load_notes(self: PapernotesApp) -> None:
        """Parse the notes folder and compare it with the index (no model needed).

        At start-up the list comes first from the catalog (file stats and cached records: ~0.3 s
        for 1,000 notes where parsing them all takes ~2 s), with the last note read parsed alone.
        """
        if not self._started and self._list_from_catalog():
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

    def _list_from_catalog(self: PapernotesApp) -> bool:
        """Post the notes as the catalog knows them, the index's state and the last note read; False when that failed."""
        try:
            catalog = self.kb.catalog()
            last = self.config.last_note(self.kb.root)
            info = catalog.find(last) if last else None
            from indexer.notes import read_note  # noqa: I001 - the Markdown parser, in this thread

            first = read_note(self.kb.root / info.rel_path, self.kb.root) if info is not None else None
        except Exception as error:  # the full load that follows reports what is wrong
            logger.info("no quick list of %s: %s", self.kb.root, error)
            return False
        status: IndexStatus | None = None
        try:
            status = self.kb.status(catalog)  # the same hashes the parsed notes will have
        except Exception as error:
            logger.info("no index state from the catalog of %s: %s", self.kb.root, error)
        self.post_message(NotesListed(catalog, first, status))
        return True

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_model(self: PapernotesApp) -> None:
        """Load the embedding model (imports torch: seconds) and open the index if there is one."""
        started = time.monotonic()
        try:
            self.kb.encoder()
        except Exception as error:
            self.post_message(ModelFailed(error))
            return
        with self._guard:
            with contextlib.suppress(PapernotesError):
                self.kb.retriever()  # no index yet is fine: it opens after the first build
            with contextlib.suppress(Exception):
                # The first inference is slow (lazy initialisation): pay for it before saying "ready".
                self.kb.encoder().encode_queries(["warm-up"])
        self.post_message(ModelReady(time.monotonic() - started))

    @work(thread=True, exclusive=True, group="build", exit_on_error=False)
    def _build(self: PapernotesApp, rebuild: bool, cancel: threading.Event) -> None:
        """Bring the index up to date, reporting progress; the guard keeps questions out meanwhile."""

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(BuildProgressed(stage, done, total))

        try:
            with self._guard:
                collection = self.kb.notes()
                report = self.kb.build(
                    rebuild=rebuild,
                    progress=progress,
                    cancel=cancel,
                    wait=INDEX_WAIT,
                    collection=collection,
                )
                status = self.kb.status(collection)
        except BuildCancelled as error:
            self.post_message(BuildFailed(error, cancelled=True))
        except Exception as error:
            stale = self.kb.stale_warning(error)  # no space, read-only, lock held: keep answering
            if stale is None:
                logger.exception("index build failed")
            self.post_message(BuildFailed(stale or error))
        else:
            self.post_message(BuildFinished(report, collection, status))

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _answer(
        self, turn: int, question: str, scope: list[str] | None, previous: Answer | None
    ) -> None:
        """Answer one question; a cancelled worker's answer is dropped."""
        worker = get_current_worker()
        while not self._guard.acquire(timeout=0.1):
            if worker.is_cancelled:
                return
        try:
            if worker.is_cancelled:
                return
            answer = self.kb.ask(question, scope=scope, previous=previous)
        except Exception as error:
            if not isinstance(error, PapernotesError):
                logger.exception("answering %r failed", question)
            result: AnswerReady | AnswerFailed = AnswerFailed(turn, error)
        else:
            result = AnswerReady(turn, answer)
        finally:
            self._guard.release()
        if not worker.is_cancelled:
            self.post_message(result)

    @work(thread=True, exclusive=True, group="related", exit_on_error=False)
    def _find_related(self: PapernotesApp, note_id: str) -> None:
        """Find the notes most similar to `note_id`."""
        try:
            with self._guard:
                related = self.kb.related(note_id)
        except Exception as error:
            logger.info("no related notes for %s: %s", note_id, error)
            related = []
        self.post_message(RelatedReady(note_id, related))

    @work(thread=True, exclusive=True, group="parse", exit_on_error=False)
    def _parse_ahead(self: PapernotesApp, texts: list[str], then: Callable[[], object] | None = None) -> None:
        """Parse notes likely opened next (cached), run `then` on the event loop, and what it returns here."""
        worker = get_current_worker()
        for text in texts:
            if worker.is_cancelled:
                return
            pieces_of(text)
        after = self.call_from_thread(then) if then is not None and not worker.is_cancelled else None
        if callable(after) and not worker.is_cancelled:
            after()

    @work(thread=True, exclusive=True, group="config", exit_on_error=False)
    def _save_config(self: PapernotesApp) -> None:
        """Write the remembered state (atomic write with fsync: off the event loop)."""
        save_config(self.config)

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch(self: PapernotesApp) -> None:
        """Watch the notes folder until the app exits."""
        from indexer.watch import watch_notes  # deferred: imports watchfiles

        try:
            watch_notes(self.kb.root, lambda: self.post_message(NotesChangedOnDisk()), self._stop)
        except Exception:
            logger.exception("watching %s stopped", self.kb.root)

    # --- worker results --------------------------------------------------------------------------

    @while_running
    async def on_notes_loaded(self: PapernotesApp, message: NotesLoaded) -> None:
        self.state.status, self.state.status_problem = message.status, message.problem
        await self._use_collection(message.collection)
        if not self._started:
            self._started = True
            # After the list is on screen: the model's imports would hold the GIL while it paints.
            self.call_after_refresh(self._load_model)
            last = self.config.last_note(self.kb.root)
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
            self._offer_build(message.status)
        elif self._check_disk:
            self._check_disk = False
            status = message.status
            if self._auto_update and status is not None and status.exists and not status.up_to_date:
                self.update_index(quiet=True)

    @while_running
    def on_notes_listed(self: PapernotesApp, message: NotesListed) -> None:
        if self.collection is not None:
            return  # the full collection came first
        catalog = message.catalog
        self.main.library.set_notes(catalog)
        self.call_after_refresh(self._listed.set)
        self.state.notes, self.state.unreadable = len(catalog.notes), len(catalog.errors)
        if message.status is not None:
            self.state.status = message.status
        self._show_state()
        if message.first is not None and not self.touched:
            self.show_early(message.first, [n.id for n in catalog.notes])

    @while_running
    def on_notes_failed(self: PapernotesApp, message: NotesFailed) -> None:
        error = message.error
        self.state.status_problem = str(error)
        self.main.library.set_notes(NoteCollection(self.kb.root, [], []))
        self._show_state()
        self._notify_error(error)

    @while_running
    def on_notes_changed_on_disk(self: PapernotesApp) -> None:
        # Reloading the notes is cheap (no model); the status then tells whether the index is behind.
        self._check_disk = True
        self._load_notes()

    @while_running
    def on_model_ready(self: PapernotesApp, message: ModelReady) -> None:
        logger.info("model ready in %.1f s", message.seconds)
        self.state.model = "ready"
        self._show_state()
        self.main.ask_pane.set_waiting_for("")
        note = self.main.reader.note
        if note is not None and note.id not in self._related:
            self._request_related(note.id)

    @while_running
    def on_model_failed(self: PapernotesApp, message: ModelFailed) -> None:
        self.state.model = "failed"
        self._show_state()
        self._notify_error(message.error)

    @while_running
    def on_build_progressed(self: PapernotesApp, message: BuildProgressed) -> None:
        if self.state.building:
            self.main.status_line.show_progress(message.stage, message.done, message.total)

    @while_running
    async def on_build_finished(self: PapernotesApp, message: BuildFinished) -> None:
        self._build_done()
        self.state.status, self.state.status_problem = message.status, None
        report = message.report
        if report.changed:
            self._related.clear()
        await self._use_collection(message.collection)
        note = self.main.reader.note
        if report.changed and note is not None:
            self._request_related(note.id)
        if report.changed:
            self.notify(report.summary(), title="Index updated", markup=False)
        elif not self._quiet_build:
            self.notify("The index is up to date.", title="Index")
        if self._update_again:
            self._update_again = False
            self.update_index(quiet=True)

    @while_running
    def on_build_failed(self: PapernotesApp, message: BuildFailed) -> None:
        self._build_done()
        if message.cancelled:
            self.notify(
                "Index build cancelled; the previous index is unchanged.", title="Cancelled"
            )
        else:
            self._notify_error(message.error)
        self._load_notes()

    @while_running
    def on_answer_ready(self: PapernotesApp, message: AnswerReady) -> None:
        self.main.ask_pane.finish_turn(message.turn, message.answer)

    @while_running
    def on_answer_failed(self: PapernotesApp, message: AnswerFailed) -> None:
        error = message.error
        if isinstance(error, IndexMissingError):
            text, hint = (
                "There is no index yet, so nothing can be answered.",
                "Build it with ctrl+r (or Update index in the ctrl+p palette).",
            )
        elif isinstance(error, PapernotesError):
            text, hint = error.message, error.hint
        else:
            text, hint = f"Something went wrong: {error}", None
        self.main.ask_pane.fail_turn(message.turn, text, hint)

    @while_running
    def on_related_ready(self: PapernotesApp, message: RelatedReady) -> None:
        self._related[message.note_id] = message.related
        note = self.main.reader.note
        if note is not None and note.id == message.note_id:
            self.main.reader.card.set_related(message.related, "none found")
            self.refresh_bindings()

    def update_index(self: PapernotesApp, rebuild: bool = False, *, quiet: bool = False) -> None:
        """Start an incremental (or, with `rebuild`, full) index build in the background.

        `quiet` builds (started by the watcher) say nothing when there was nothing to do.
        """
        if self.state.building:
            self._update_again = True
            return
        self._auto_update = True
        self._quiet_build = quiet
        self.state.building = True
        self._build_cancel = threading.Event()
        self.main.status_line.show_progress("starting", 0, 0)
        self._show_state()
        self.refresh_bindings()
        self._build(rebuild, self._build_cancel)

    def _build_done(self: PapernotesApp) -> None:
        self.state.building = False
        self._build_cancel = None
        self.main.status_line.hide_progress()
        self._show_state()
        self.refresh_bindings()

    def _offer_build(self: PapernotesApp, status: IndexStatus | None) -> None:
        if status is None or status.up_to_date or self.state.building:
            return
        if not status.exists:
            title, action = "No index yet", "Build index"
            message = (
                f"There is no index for the {self.state.notes} notes in this folder yet, "
                "so questions can't be answered.\nBuild it now? It runs in the background."
            )
        elif status.problem:
            title, action = "Index needs a rebuild", "Rebuild"
            message = f"{status.problem}.\nRebuild it now?"
        else:
            count = status.changed
            names = ", ".join([*status.added, *status.updated, *status.removed][:4])
            more = "…" if count > 4 else ""
            title = "Notes changed"
            message = (
                f"{count} note{'s' if count != 1 else ''} changed since the last build ({names}{more}).\n"
                "Update the index now? Only the changed notes are embedded again."
            )
            action = "Update index"

        def answered(build: bool | None) -> None:
            if build:
                self.update_index()
            else:
                # The user said not now: changes on disk don't build by themselves either.
                self._auto_update = False

        self._auto_update = False
        self.push_screen(BuildOffer(title, message, action), answered)

    def _show_state(self: PapernotesApp) -> None:
        self.main.status_line.show_state(self.state)

    def _notify_error(self: PapernotesApp, error: Exception) -> None:
        title = getattr(error, "title", "Error")
        self.notify(one_line(str(error)), title=title, severity="error", markup=False, timeout=10)
