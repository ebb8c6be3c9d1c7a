"""Building the index: diff notes against the current generation, embed what is new, write and commit."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from indexer import vectors
from indexer.embedding import Encoder, ModelSpec
from indexer.errors import IndexBusyError, IndexCorruptError, IndexWriteError
from indexer.store import derived
from indexer.store.database import (
    CHUNKER_VERSION,
    DB_NAME,
    REBUILD_HINT,
    SENTENCE_DTYPE,
    database_healthy,
    open_for_writing,
    read_manifest,
    remove_database,
)
from indexer.store.generations import (
    NoteStats,
    cleanup,
    commit_generation,
    gen_dir,
    next_generation,
    write_generation,
    write_note_files,
)
from indexer.store.location import index_dir, writable
from indexer.store.lock import write_lock
from indexer.store.manifest import (
    generation_problem,
    manifest_problem,
    sentence_problem,
)
from indexer.store.records import BuildCancelled, BuildProgress, BuildReport

if TYPE_CHECKING:
    import numpy as np

    from indexer.catalog import Catalog
    from indexer.chunking import Chunk
    from indexer.notes import NoteCollection

logger = logging.getLogger(__name__)

EMBED_BATCH = 64


def build(
    collection: NoteCollection | Catalog,
    spec: ModelSpec,
    encoder_factory: Callable[[], Encoder],
    *,
    rebuild: bool = False,
    progress: BuildProgress | None = None,
    cancel: threading.Event | None = None,
    wait: float = 0.0,
    exact_below: int = vectors.EXACT_BELOW,
    folder: Path | None = None,
) -> BuildReport:
    """Bring the index of `collection` up to date, embedding only new or changed chunks.

    Given a `Catalog` (notes known from file stats), an index that is up to date is checked and left
    as it is without parsing a note, loading the model or reading its vector and keyword files; only
    when something changed are the notes parsed.

    `folder` is the index folder (default: where `location.locate` puts it). A write that fails for
    lack of space or write access raises IndexWriteError with a one-line reason; nothing half-written
    stays behind (batches of vectors already embedded stay cached for the next run).

    Vectors are cached by content hash as they are computed, so an interrupted build resumes;
    the new generation becomes visible in one SQLite commit, so readers see old or new, never half.
    """
    started = time.perf_counter()
    folder = folder or index_dir(collection.root)
    try:
        report = _build(collection, spec, encoder_factory, folder, rebuild, progress, cancel, wait, exact_below)
    except sqlite3.DatabaseError as error:
        unwritable = write_failure(error, folder)
        if unwritable is not None:
            raise unwritable from error
        if "locked" in str(error) or "busy" in str(error):
            raise IndexBusyError(f"the index database in {folder} is locked ({error})", "try again") from error
        raise IndexCorruptError(f"the index database in {folder} is damaged ({error})", REBUILD_HINT) from error
    except OSError as error:
        raise write_failure(error, folder) or IndexWriteError(
            f"cannot update the index in {folder} ({error.strerror or error})",
            "check free space and permissions, then run: papernotes index",
            reason=f"cannot write {folder} ({error.strerror or error})",
        ) from error
    report.seconds = time.perf_counter() - started
    return report


def write_failure(error: BaseException, folder: Path) -> IndexWriteError | None:
    """The one-line reason an index write failed for lack of space or of write access (None for other errors).

    SQLite and FAISS report a full disk in their own words ("disk I/O error", a failed write), so
    for them the filesystem itself is asked whether it is full or read-only.
    """
    text = str(error)
    number = getattr(error, "errno", None)
    io_error = isinstance(error, (OSError, sqlite3.OperationalError))
    mount = mount_point(folder)
    try:
        stats = os.statvfs(mount)
    except OSError:
        stats = None
    full = stats is not None and stats.f_bavail == 0
    read_only = stats is not None and bool(stats.f_flag & os.ST_RDONLY)
    if number in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text or "disk is full" in text or (io_error and full):
        reason, hint = f"no space left on {mount}", "free some space, then run: papernotes index"
    elif number == errno.EROFS or "readonly database" in text or (io_error and read_only):
        reason, hint = f"{mount} is read-only", "pass --index DIR to keep the index elsewhere"
    elif number in (errno.EACCES, errno.EPERM) or (io_error and not writable(folder)):
        reason, hint = f"no permission to write {folder}", "pass --index DIR to keep the index elsewhere"
    else:
        return None
    return IndexWriteError(f"cannot update the index in {folder}: {reason}", hint, reason=reason)


def mount_point(path: Path) -> Path:
    """The mount point of the filesystem holding `path` (or its nearest existing parent).

    Read from /proc/self/mounts where there is one: `os.path.ismount` misses bind mounts.
    """
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    path = path.resolve()
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as table:
            points = [Path(line.split()[1].replace("\\040", " ")) for line in table if len(line.split()) > 1]
    except OSError:
        points = []
    inside = [point for point in points if path == point or point in path.parents]
    if inside:
        return max(inside, key=lambda point: len(point.parts))
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def _build(
    collection: NoteCollection | Catalog,
    spec: ModelSpec,
    encoder_factory: Callable[[], Encoder],
    folder: Path,
    rebuild: bool,
    progress: BuildProgress | None,
    cancel: threading.Event | None,
    wait: float,
    exact_below: int,
) -> BuildReport:
    backend_name = vectors.backend_name()
    vectors.backend(backend_name)  # an unknown backend fails here, before any embedding
    with write_lock(folder, wait=wait):
        report = BuildReport()
        db = folder / DB_NAME
        if rebuild:
            report.full_rebuild_reason = "rebuild requested"
            if not database_healthy(db):
                remove_database(folder)
        connection = open_for_writing(db)
        try:
            manifest = read_manifest(connection)
            problem = manifest_problem(manifest, spec) if manifest else None
            if problem and _upgradable(manifest, spec):
                # Same model, older schema: rewrite the generation from the cached vectors.
                report.full_rebuild_reason = f"{problem}; rewriting it from the cached vectors"
                problem = None
            if problem and "newer papernotes" in problem and not rebuild:
                raise IndexCorruptError(problem, REBUILD_HINT)
            if problem:
                logger.info("full rebuild: %s", problem)
                report.full_rebuild_reason = problem
                connection.close()
                remove_database(folder)
                connection = open_for_writing(db)
                manifest = {}
            generation = int(manifest.get("generation", "0"))
            previous = {
                row["id"]: row["content_hash"]
                for row in connection.execute("SELECT id, content_hash FROM notes WHERE generation=?", (generation,))
            }
            for note in collection.notes:
                if note.id not in previous:
                    report.added.append(note.id)
                elif previous[note.id] != note.content_hash:
                    report.updated.append(note.id)
                else:
                    report.unchanged.append(note.id)
            current_ids = {n.id for n in collection.notes}
            report.removed = [i for i in previous if i not in current_ids]
            same_chunker = manifest.get("chunker_version") == CHUNKER_VERSION
            report.rechunked = bool(generation) and not same_chunker
            stored_backend = manifest.get("vector_backend", vectors.DEFAULT_BACKEND)
            if generation and stored_backend != backend_name:
                # Vectors come from the cache: nothing is re-embedded, the generation is rewritten.
                report.full_rebuild_reason = f"vector backend changed from {stored_backend!r} to {backend_name!r}"
            if generation and not report.changed:
                damage = generation_problem(folder, generation, manifest) or sentence_problem(
                    connection, manifest
                )
                report.chunks_total = connection.execute(
                    "SELECT COUNT(*) FROM chunks WHERE generation=?", (generation,)
                ).fetchone()[0]
                if damage is None and report.chunks_total != int(manifest.get("chunks", "0")):
                    damage = f"the manifest names {manifest.get('chunks')} chunks, the database holds {report.chunks_total}"
                if manifest.get("fields_rule") != derived.RULE:
                    # Written before the note fields were stored, or by another rule: rewrite from the cache.
                    report.full_rebuild_reason = "the index stores its note fields by an older rule; rewriting it from the cached vectors"
                elif damage is None:
                    _refresh_stats(connection, generation, collection)
                    return report
                else:
                    # Rewrite the generation's files from the vector cache (only missing sentences are embedded).
                    logger.info("rewriting the index files: %s", damage)
                    report.full_rebuild_reason = f"the index files were damaged, rewriting them ({damage})"

            from indexer.catalog import Catalog
            from indexer.chunking import chunk_note
            from indexer.embedding import TokenCounter
            from indexer.imports import heavy
            from indexer.quotes import quote_texts

            heavy("faiss", "bm25s")  # before the first of them in this thread: the app builds beside other work
            stats: NoteStats = {}
            if isinstance(collection, Catalog):
                stats = {n.id: (n.stat, n.checked_ns) for n in collection.notes}
                collection = collection.collection()  # something changed: parse the notes
            counter = TokenCounter(spec)
            chunks = [chunk for note in collection.notes for chunk in chunk_note(note, counter)]
            report.chunks_total = len(chunks)
            # A rebuild re-embeds everything but keeps the current generation until the new one commits.
            known = set() if rebuild else {row[0] for row in connection.execute("SELECT hash FROM vectors")}
            missing: dict[str, str] = {}
            for chunk in chunks:
                if chunk.content_hash not in known:
                    missing.setdefault(chunk.content_hash, chunk.embed_text)
            if missing:
                report.chunks_embedded = embed_missing(
                    connection, "vectors", missing, encoder_factory, progress, cancel, stage="embedding"
                )
            live_quotes = quote_texts(chunks)
            if not (cancel is not None and cancel.is_set()):
                known = set() if rebuild else {row[0] for row in connection.execute("SELECT hash FROM sentence_vectors")}
                missing = {h: t for h, t in live_quotes.items() if h not in known}
                if missing:
                    report.sentences_embedded = embed_missing(
                        connection, "sentence_vectors", missing, encoder_factory, progress, cancel,
                        stage="embedding sentences", dtype=SENTENCE_DTYPE,
                    )
            if cancel is not None and cancel.is_set():
                raise BuildCancelled("index build cancelled; the previous index is unchanged")
            if progress:
                progress("writing", 0, 1)
            matrix, dimension = matrix_for(connection, chunks)
            new_generation = next_generation(folder, generation)
            written = write_generation(folder, new_generation, matrix, chunks, exact_below, backend_name, collection.notes)
            try:
                commit_generation(
                    connection, collection.notes, chunks, new_generation, generation, spec, dimension,
                    set(live_quotes), backend_name, written, stats,
                )
            except BaseException:
                shutil.rmtree(gen_dir(folder, new_generation), ignore_errors=True)  # never made current
                raise
            cleanup(folder, keep={generation, new_generation})
            if progress:
                progress("writing", 1, 1)
        finally:
            connection.close()
    return report


def _upgradable(manifest: dict[str, str], spec: ModelSpec) -> bool:
    """Whether an index of an older schema can be rewritten from its cached vectors (same model, schema 1)."""
    return manifest.get("schema_version") == "1" and manifest.get("model_fingerprint") == spec.fingerprint


def _refresh_stats(connection: sqlite3.Connection, generation: int, collection: NoteCollection | Catalog) -> None:
    """Record the file stats a catalog found new for notes whose content did not change (a touch, a copy)."""
    from indexer.catalog import Catalog

    if not isinstance(collection, Catalog) or not collection.restat:
        return
    ids = set(collection.restat)
    notes = [n for n in collection.notes if n.id in ids]
    with connection:
        write_note_files(connection, generation, notes, {n.id: (n.stat, n.checked_ns) for n in notes})


def embed_missing(
    connection: sqlite3.Connection,
    table: str,
    missing: dict[str, str],
    encoder_factory: Callable[[], Encoder],
    progress: BuildProgress | None,
    cancel: threading.Event | None,
    *,
    stage: str,
    dtype: str = "float32",
) -> int:
    """Embed texts whose hashes have no vector in `table` yet, committing each batch to it."""
    items = sorted(missing.items(), key=lambda kv: len(kv[1]))
    total = len(items)
    if progress:
        progress("loading model", 0, total)
    encoder = encoder_factory()
    done = 0
    if progress:
        progress(stage, 0, total)
    for start in range(0, total, EMBED_BATCH):
        if cancel is not None and cancel.is_set():
            break
        batch = items[start : start + EMBED_BATCH]
        matrix = encoder.encode_documents([text for _, text in batch])
        with connection:
            connection.executemany(
                f"INSERT OR REPLACE INTO {table} (hash, vector) VALUES (?, ?)",
                [(h, matrix[i].astype(dtype).tobytes()) for i, (h, _) in enumerate(batch)],
            )
        done += len(batch)
        if progress:
            progress(stage, done, total)
    return done


def matrix_for(connection: sqlite3.Connection, chunks: Sequence[Chunk]) -> tuple[np.ndarray, int]:
    """The cached vectors of `chunks`, in order, and their dimension."""
    import numpy as np

    wanted = {c.content_hash for c in chunks}
    found: dict[str, np.ndarray] = {}
    for row in connection.execute("SELECT hash, vector FROM vectors"):
        if row[0] in wanted:
            found[row[0]] = np.frombuffer(row[1], dtype=np.float32)
    dimension = len(next(iter(found.values()))) if found else 0
    matrix = np.zeros((len(chunks), dimension), dtype=np.float32)
    for i, chunk in enumerate(chunks):
        vector = found.get(chunk.content_hash)
        if vector is None or len(vector) != dimension:
            raise IndexCorruptError("the vector cache is inconsistent", REBUILD_HINT)
        matrix[i] = vector
    return matrix, dimension
