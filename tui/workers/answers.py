"""Work that needs the model: loading it (and the index), answering questions, finding related notes."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from indexer.answer import Answer
from indexer.errors import IndexCorruptError, IndexMissingError, PapernotesError
from tui import collector
from tui.messages import AnswerFailed, AnswerReady, ModelFailed, ModelReady, RelatedReady
from tui.workers.support import while_running

if TYPE_CHECKING:
    from tui.app import PapernotesApp

logger = logging.getLogger(__name__)


class AnswerWork:
    """The model, answers and related notes (mixed into PapernotesApp)."""

    def _start_model_load(self: PapernotesApp) -> None:
        """Load the model (again, after a failure): the questions asked meanwhile wait for this one load."""
        if self._model_loaded.is_set():  # a load ended (it failed): the next one is waited for anew
            self._model_loaded = threading.Event()
        self._model_error = None
        self.state.model = "loading"
        self._show_state()
        self._load_model(self._model_loaded)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_model(self: PapernotesApp, loaded: threading.Event) -> None:
        """Load the embedding model (imports torch: seconds) and open the index if there is one; then textual-image."""
        try:
            self._load_model_now()
        finally:
            loaded.set()  # before textual-image: a question waiting for the model need not wait for that too
            from tui.widgets.image_view import warm_up

            warm_up()  # after the model: the first figure should not wait for PIL's import either

    def _load_model_now(self: PapernotesApp) -> None:
        started = time.monotonic()
        try:
            self.kb.encoder()
        except Exception as error:
            logger.exception("loading the model failed")
            self._model_error = error
            self.post_message(ModelFailed(error))
            return
        with self._guard:
            with contextlib.suppress(PapernotesError):
                self.kb.retriever()  # no index yet is fine: it opens after the first build
            with contextlib.suppress(Exception):
                # The first inference is slow (lazy initialisation): pay for it before saying "ready".
                self.kb.encoder().encode_queries(["warm-up"])
        self.post_message(ModelReady(time.monotonic() - started))

    @while_running
    def on_model_ready(self: PapernotesApp, message: ModelReady) -> None:
        logger.info("model ready in %.1f s", message.seconds)
        self.state.model = "ready"
        self._show_state()
        self.main.ask_pane.set_waiting_for("")
        self.call_after_refresh(collector.freeze_start_up)  # started: notes parsed, model loaded
        note = self.main.reader.note
        if note is not None and note.id not in self._related:
            self._request_related(note.id)

    @while_running
    def on_model_failed(self: PapernotesApp, message: ModelFailed) -> None:
        self.state.model = "failed"
        self._show_state()
        self.call_after_refresh(collector.freeze_start_up)
        self._notify_error(message.error)

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _answer(
        self,
        turn: int,
        question: str,
        scope: list[str] | None,
        previous: Answer | None,
        open_note: str | None = None,
    ) -> None:
        """Answer one question; a cancelled worker's answer is dropped."""
        worker = get_current_worker()
        # The model loads in its own worker from start-up: a question asked meanwhile waits for that load (loading
        # it here as well would import numpy and onnxruntime in two threads at once), then fails as the load did.
        while not self._model_loaded.wait(0.1):
            if worker.is_cancelled:
                return
        if self._model_error is not None:
            self.post_message(AnswerFailed(turn, self._model_error))
            return
        # While a build runs, an existing index is still read whole: the store commits generations
        # atomically and the open reader is swapped only between answers (KnowledgeBase.ask), so
        # the question is answered at once from the last committed index; with none, wait for it.
        during_update = self.state.building and self._index_exists()
        if not during_update:
            while not self._guard.acquire(timeout=0.1):
                if worker.is_cancelled:
                    return
        try:
            if worker.is_cancelled:
                return
            answer = self.kb.ask(question, scope=scope, previous=previous, open_note=open_note)
        except Exception as error:
            if not isinstance(error, PapernotesError):
                logger.exception("answering %r failed", question)
            result: AnswerReady | AnswerFailed = AnswerFailed(turn, error)
        else:
            result = AnswerReady(turn, answer, during_update=during_update)
        finally:
            if not during_update:
                self._guard.release()
        if not worker.is_cancelled:
            self.post_message(result)

    def _index_exists(self: PapernotesApp) -> bool:
        """Whether an index (a committed generation to answer from) is on disk: a first build writes its
        database (the vectors of each batch) long before it commits one."""
        from indexer.store.database import DB_NAME, current_generation

        db = self.kb.index_folder / DB_NAME
        return db.exists() and bool(current_generation(db))

    @while_running
    def on_answer_ready(self: PapernotesApp, message: AnswerReady) -> None:
        self._ask_after_build = None  # there is an index: a question left waiting for one was asked again, or is moot
        note = "The index is being updated: your newest edits may not be in this answer." if message.during_update else None
        self.main.ask_pane.finish_turn(message.turn, message.answer, note=note)

    @while_running
    def on_answer_failed(self: PapernotesApp, message: AnswerFailed) -> None:
        error = message.error
        if isinstance(error, IndexMissingError) or _no_generation(error):  # none yet, or the first build cancelled
            text, hint = (
                "There is no index yet, so nothing can be answered.",
                "Build it with ctrl+r (or Update index in the ctrl+p palette): "
                "this question is asked again once it is built.",
            )
            self._ask_after_build = self._asked.get(message.turn)
        elif isinstance(error, IndexCorruptError):  # the CLI's hint and a library's own words don't help here
            text = error.message.split(" (Error in ", 1)[0]  # not faiss's C++ signature
            hint = "ctrl+r rewrites it (from the cached vectors: quick), or Rebuild index in the ctrl+p palette."
        elif isinstance(error, PapernotesError):
            text, hint = error.message, error.hint
        else:
            text, hint = f"Something went wrong: {error}", None
        self.main.ask_pane.fail_turn(message.turn, text, hint)

    def wait_for_first_build(self: PapernotesApp) -> None:
        """The question asked waits for the first build (nothing to answer from before): the pane says how far it is."""
        self.main.ask_pane.wait_for_build(self.build_progress)

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

    @while_running
    def on_related_ready(self: PapernotesApp, message: RelatedReady) -> None:
        self._related[message.note_id] = message.related
        note = self.main.reader.note
        if note is not None and note.id == message.note_id:
            self.main.reader.card.set_related(message.related, "none found")
            self.refresh_bindings()


def _no_generation(error: Exception) -> bool:
    """Whether `error` says the index has no committed generation (its database written by a first build only)."""
    from indexer.store.manifest import EMPTY_INDEX

    return isinstance(error, IndexCorruptError) and error.message == EMPTY_INDEX
