"""The knowledge base: one notes folder, its index, and the questions asked of it (shared by CLI and TUI)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.embedding import Encoder, ModelSpec, Progress, load_encoder, resolve_model
from indexer.imports import heavy
from indexer.notefiles import default_notes_dir  # noqa: F401 - re-exported

if TYPE_CHECKING:  # the modules behind these are imported when first used: `index` needs none of them
    import numpy as np

    from indexer.answer import Answer
    from indexer.catalog import Catalog
    from indexer.errors import IndexStale
    from indexer.notes import NoteCollection
    from indexer.reader import GenerativeReader, ReaderResult, TokenCallback
    from indexer.retrieval import Hit, Mode, Retriever
    from indexer.store import (
        BuildProgress,
        BuildReport,
        Freshness,
        IndexLocation,
        IndexStatus,
        StoredIndex,
    )

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelatedNote:
    """A note similar to another, with the similarity of their best-matching passages."""

    note_id: str
    title: str
    score: float


class _SerialEncoder:
    """An encoder whose calls run one at a time: tokenizers and torch modules are not thread-safe."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.dimension = inner.dimension
        self._lock = threading.Lock()

    def encode_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        with self._lock:
            return self.inner.encode_documents(texts, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self.inner.encode_queries(texts)


class KnowledgeBase:
    """A notes folder with its index: load notes, build the index, retrieve and answer."""

    def __init__(
        self,
        root: Path | None = None,
        model: str | None = None,
        reranker: str | None = None,
        reader: str | None = None,
        precision: str | None = None,
        index: Path | None = None,
    ) -> None:
        from indexer.shipped import is_installed_copy
        from indexer.store.location import locate

        self.root = (root or default_notes_dir()).expanduser().resolve()
        self.location: IndexLocation = locate(self.root, index, read_only=is_installed_copy(self.root))
        """Where the index lives (`index`: an explicit folder, as `--index DIR`), and why there."""
        self.model_name = model
        self.precision = precision
        """The embedding precision, fp32 or int8; None means `$PAPERNOTES_PRECISION`, else fp32."""
        self.reranker_name = reranker or os.environ.get("PAPERNOTES_RERANKER") or None
        self.reader_name = reader
        """The optional generative reader (`--reader`); None keeps answers extractive."""
        self._reader: GenerativeReader | None = None
        self._spec: ModelSpec | None = None
        self._encoder: Encoder | None = None
        self._index: StoredIndex | None = None
        self._retriever: Retriever | None = None
        self._lock = threading.RLock()
        self._encoder_lock = threading.Lock()
        """Held while the encoder loads: a background load never blocks opening the index."""

    @property
    def spec(self) -> ModelSpec:
        """The embedding model (resolved offline on first use)."""
        if self._spec is None:
            self._spec = resolve_model(self.model_name, self.precision)
        return self._spec

    def notes(self) -> NoteCollection:
        """Parse the notes folder now."""
        from indexer.notes import load_notes

        return load_notes(self.root)

    def catalog(self, *, quick: bool = False) -> Catalog:
        """The notes as their file stats and the index know them: only changed notes are read
        (with `quick`, notes nothing knows are only glanced at: see `indexer.catalog.scan`)."""
        from indexer.catalog import scan

        return scan(self.root, self.index_folder, quick=quick)

    def status(self, collection: NoteCollection | Catalog | None = None) -> IndexStatus:
        """How the index compares with the notes on disk (no model load)."""
        from indexer.store import index_status

        return index_status(collection or self.catalog(), self.spec, self.index_folder)

    @property
    def index_folder(self) -> Path:
        """The index folder (see `location`)."""
        return self.location.folder

    def encoder(self) -> Encoder:
        """The loaded encoder (slow the first time: imports torch); safe to share between threads."""
        with self._encoder_lock:
            if self._encoder is None:
                self._encoder = _SerialEncoder(load_encoder(self.spec))
            return self._encoder

    def preload_encoder(self) -> threading.Thread:
        """Start loading the encoder in a background thread, so that it overlaps with the freshness check,
        opening the index and importing the answer code (onnxruntime releases the GIL while it creates the
        session): a cold `ask` then waits for whichever is longer, not for both. A failure is left for
        `encoder()` to raise where it is called. Join the returned thread before the process exits
        (onnxruntime must not be torn down while it still creates the session)."""

        def load() -> None:
            try:
                self.encoder()
            except Exception as error:  # the caller's own encoder() call reports it
                logger.debug("preloading the encoder failed: %s", error)

        thread = threading.Thread(target=load, name="papernotes-encoder", daemon=True)
        thread.start()
        return thread

    def build(
        self,
        *,
        rebuild: bool = False,
        progress: BuildProgress | None = None,
        cancel: threading.Event | None = None,
        wait: float = 0.0,
        collection: NoteCollection | Catalog | None = None,
    ) -> BuildReport:
        """Bring the index up to date; reopens the retriever if anything changed.

        Given a catalog (`catalog()`), an index that is already up to date is left as it is
        without parsing a note or loading the model.
        """
        from indexer.store import build

        report = build(
            collection or self.catalog(),
            self.spec,
            self.encoder,
            rebuild=rebuild,
            progress=progress,
            cancel=cancel,
            wait=wait,
            folder=self.index_folder,
        )
        if report.changed or self._frozen():
            self.close_index()
        return report

    def refresh(
        self,
        *,
        collection: NoteCollection | Catalog | None = None,
        progress: BuildProgress | None = None,
        cancel: threading.Event | None = None,
        before_update: Callable[[IndexStatus], None] | None = None,
    ) -> Freshness:
        """Update the index if it can be written, else keep answering from the last good one.

        The returned `Freshness.warning` is the one line to show when answers come from a stale index
        (no space, read-only, another build holding the lock); see `indexer.store.stale`.
        """
        from indexer.store.stale import refresh

        freshness = refresh(
            collection or self.catalog(),
            self.spec,
            self.encoder,
            folder=self.index_folder,
            progress=progress,
            cancel=cancel,
            before_update=before_update,
        )
        if (freshness.report is not None and freshness.report.changed) or self._frozen():
            self.close_index()
        return freshness

    def stale_warning(self, error: BaseException) -> IndexStale | None:
        """After a failed build: the stale-index warning when answers still come from the last good index, else None."""
        from indexer.errors import IndexStale, PapernotesError
        from indexer.store.stale import stale_warning

        try:
            status = self.status()
        except PapernotesError:
            return None
        warning = stale_warning(status, error)
        return IndexStale(warning) if warning else None

    def _frozen(self) -> bool:
        with self._lock:
            return self._index is not None and self._index.frozen

    def close_index(self) -> None:
        """Forget the open index so the next question reads the newest one."""
        with self._lock:
            if self._index is not None:
                self._index.close()
            self._index = None
            self._retriever = None

    def retriever(self) -> Retriever:
        """The retriever over the current index (opened on first use)."""
        heavy("faiss")  # before this thread's first numpy import: the app answers while the model loads
        with self._lock:
            if self._index is not None and self._index.outdated():
                self.close_index()  # a frozen reader (full or read-only disk) whose database has since changed
            if self._retriever is None:
                from indexer.retrieval import Retriever
                from indexer.store import StoredIndex

                self._index = StoredIndex(self.root, self.spec, self.index_folder)
                reranker = None
                if self.reranker_name:
                    from indexer.rerank import Reranker

                    reranker = Reranker(self.reranker_name)
                self._retriever = Retriever(self._index, self.encoder(), reranker)
            return self._retriever

    def ask(
        self,
        question: str,
        *,
        scope: Sequence[str] | None = None,
        previous: Answer | None = None,
        mode: Mode = "hybrid",
        open_note: str | None = None,
    ) -> Answer:
        """Answer a question from the notes, with citations (a rebuild swaps the index only between answers).

        `open_note`: the note the user is reading (the app's reader), what "it" and "this paper" mean when no
        previous answer says otherwise.
        """
        from indexer.answer import answer_question

        with self._lock:
            retriever = self.retriever()
            return answer_question(question, retriever, mode=mode, scope=scope, previous=previous, open_note=open_note)

    def search(
        self, query: str, *, k: int = 8, scope: Sequence[str] | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]:
        """The `k` best passages for `query` (a rebuild swaps the index only between searches)."""
        with self._lock:
            retriever = self.retriever()
            vector = retriever.embed(query) if mode != "lexical" else None  # once: search would embed it twice
            return retriever.search(query, k=k, mode=mode, scope=scope, query_vector=vector)

    def generative_reader(self) -> GenerativeReader | None:
        """The reader named at construction, resolved offline (its weights load on first use); None when off."""
        with self._lock:
            if self._reader is None and self.reader_name:
                from indexer.reader import GenerativeReader, resolve_reader

                self._reader = GenerativeReader(resolve_reader(self.reader_name))
            return self._reader

    def ask_with_reader(
        self,
        question: str,
        *,
        scope: Sequence[str] | None = None,
        previous: Answer | None = None,
        mode: Mode = "hybrid",
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ReaderResult:
        """The extractive answer rewritten by the reader, keeping only sentences the passages support."""
        from indexer.reader import ReaderResult, grounded_answer

        answer = self.ask(question, scope=scope, previous=previous, mode=mode)
        reader = self.generative_reader()
        if reader is None:
            return ReaderResult(answer, None, reason="no reader configured")
        return grounded_answer(answer.read_as or answer.question, answer, reader, on_token=on_token, cancel=cancel)

    def related(self, note_id: str, k: int = 4) -> list[RelatedNote]:
        """Notes most similar to `note_id`, by the mean of their chunk vectors."""
        heavy("faiss")  # one thread at a time (see indexer.imports): the app looks for related notes at start-up
        import numpy as np

        with self._lock:  # the index is swapped only between calls
            retriever = self.retriever()
            index = retriever.index
            rows = index.rows_of_notes([note_id])
            if not rows or index.vector_index is None:
                return []
            centroid = index.vectors_of(rows).mean(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
            hits = retriever.search("", k=60, mode="dense", query_vector=centroid)
        best: dict[str, float] = {}
        for hit in hits:
            if hit.chunk.note_id != note_id:
                best[hit.chunk.note_id] = max(best.get(hit.chunk.note_id, -1.0), hit.dense)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:k]
        return [RelatedNote(i, index.notes[i].title if i in index.notes else i, s) for i, s in ranked]
