"""The index folder: SQLite (notes, chunks, vector cache, manifest) + FAISS/BM25 generations, swapped atomically."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer import lexical, vectors
from indexer.chunking import Chunk, chunk_note
from indexer.embedding import Encoder, ModelSpec, TokenCounter
from indexer.errors import IndexBusyError, IndexCorruptError, IndexMissingError, PapernotesError
from indexer.fileio import fsync_dir
from indexer.notes import Note, NoteCollection
from indexer.quotes import quote_texts

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

INDEX_DIR = ".papernotes"
DB_NAME = "index.sqlite"
SCHEMA_VERSION = 1
CHUNKER_VERSION = "4"
"""Bump when chunking or quoting changes: every note is then re-chunked (vectors are still reused by hash)."""
EMBED_BATCH = 64
REBUILD_HINT = "run: papernotes index --rebuild"
BACKEND_FILE = "vector-backend"
"""Names, inside a generation folder, the vector backend that wrote it (so clean-up can release it)."""
MENTION_ROWS = 5_000
"""`mentions` reads at most this many candidate rows before it falls back to a SQL scan."""

BuildProgress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stages: "loading model", "embedding", "embedding sentences", "writing"."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
    generation INTEGER NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, rel_path TEXT NOT NULL,
    title TEXT NOT NULL, meta TEXT NOT NULL, content_hash TEXT NOT NULL,
    PRIMARY KEY (generation, id));
CREATE TABLE IF NOT EXISTS chunks (
    generation INTEGER NOT NULL, row INTEGER NOT NULL, id TEXT NOT NULL, note_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, section TEXT NOT NULL, start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL, text TEXT NOT NULL, context TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (generation, row));
CREATE INDEX IF NOT EXISTS chunks_by_note ON chunks (generation, note_id);
CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sentence_vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
"""
SENTENCE_DTYPE = "float16"
"""Sentence vectors are stored at half precision: scores move by ~1e-4, the table halves."""


class BuildCancelled(PapernotesError):
    """The build was cancelled; the previous index is untouched."""

    title = "Cancelled"


@dataclass(frozen=True)
class StoredChunk(Chunk):
    """A chunk as read back from the index, with its row and its note's title and path."""

    row: int
    title: str
    rel_path: str


@dataclass(frozen=True)
class StoredNote:
    """A note's record in the index."""

    id: str
    ord: int
    rel_path: str
    title: str
    meta: dict[str, Any]
    content_hash: str


@dataclass
class BuildReport:
    """What an index build did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None
    rechunked: bool = False

    @property
    def changed(self) -> bool:
        """Whether the build wrote a new generation."""
        return bool(self.added or self.updated or self.removed or self.full_rebuild_reason or self.rechunked)

    def summary(self) -> str:
        """One line: notes added / updated / removed / unchanged, chunks embedded, seconds."""
        return (
            f"notes: {len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} of {self.chunks_total} chunks "
            f"(and {self.sentences_embedded} sentences) embedded in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class IndexStatus:
    """How the index compares with the notes on disk."""

    exists: bool
    added: list[str]
    updated: list[str]
    removed: list[str]
    problem: str | None = None

    @property
    def changed(self) -> int:
        """How many notes differ from the index."""
        return len(self.added) + len(self.updated) + len(self.removed)

    @property
    def up_to_date(self) -> bool:
        """True when the index exists, is readable and matches the notes."""
        return self.exists and self.problem is None and self.changed == 0


def index_dir(root: Path) -> Path:
    """The index folder of a notes folder."""
    return root / INDEX_DIR


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    else:
        connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    connection.row_factory = sqlite3.Row
    return connection


def _gen_dir(folder: Path, generation: int) -> Path:
    return folder / f"gen-{generation:06d}"


def _current_generation(db: Path) -> int | None:
    """The generation the database names as current now (None when it can't be read)."""
    try:
        connection = _connect(db, readonly=True)
        try:
            return int(_read_manifest(connection).get("generation", "0"))
        finally:
            connection.close()
    except (sqlite3.DatabaseError, ValueError):
        return None


@contextlib.contextmanager
def write_lock(folder: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock; waits up to `wait` seconds, then IndexBusyError."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lock"
    handle = open(path, "a+")  # noqa: SIM115 - held for the lock's lifetime
    deadline = time.monotonic() + wait
    locked = False
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise IndexBusyError(
                        f"the index in {folder} is being updated by {holder}",
                        "wait for it to finish, or pass --wait SECONDS",
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"papernotes pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        if locked:  # a failed attempt must not erase the holder's pid
            with contextlib.suppress(OSError):
                handle.truncate(0)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def _read_manifest(connection: sqlite3.Connection) -> dict[str, str]:
    return {row["key"]: row["value"] for row in connection.execute("SELECT key, value FROM manifest")}


def _manifest_problem(manifest: dict[str, str], spec: ModelSpec | None) -> str | None:
    """Why an index can't be used as it is (None when it can)."""
    if not manifest:
        return "the index is empty"
    try:
        schema = int(manifest.get("schema_version", "0"))
        for key in ("generation", "chunks", "dimension"):
            int(manifest.get(key, "0"))
    except ValueError:
        return "the index manifest is damaged"
    if schema > SCHEMA_VERSION:
        return f"the index was written by a newer papernotes (schema {schema}, this one reads {SCHEMA_VERSION})"
    if schema < SCHEMA_VERSION:
        return f"the index uses an older schema ({schema}, now {SCHEMA_VERSION})"
    if spec is not None and manifest.get("model_fingerprint") != spec.fingerprint:
        return f"the index was built with model {manifest.get('model_name')!r}, not {spec.label!r}"
    return None


def index_status(collection: NoteCollection, spec: ModelSpec | None = None) -> IndexStatus:
    """Compare the notes on disk with the index, without loading any model."""
    db = index_dir(collection.root) / DB_NAME
    if not db.exists():
        return IndexStatus(False, [n.id for n in collection.notes], [], [])
    try:
        connection = _connect(db, readonly=True)
        try:
            manifest = _read_manifest(connection)
            problem = _manifest_problem(manifest, spec)
            generation = int(manifest.get("generation", "0"))
            stored = {
                row["id"]: row["content_hash"]
                for row in connection.execute("SELECT id, content_hash FROM notes WHERE generation=?", (generation,))
            }
        finally:
            connection.close()
    except (sqlite3.DatabaseError, ValueError) as error:
        return IndexStatus(True, [], [], [], problem=f"the index database is damaged ({error})")
    current = {n.id: n.content_hash for n in collection.notes}
    return IndexStatus(
        exists=True,
        added=[i for i in current if i not in stored],
        updated=[i for i in current if i in stored and stored[i] != current[i]],
        removed=[i for i in stored if i not in current],
        problem=problem,
    )


def build(
    collection: NoteCollection,
    spec: ModelSpec,
    encoder_factory: Callable[[], Encoder],
    *,
    rebuild: bool = False,
    progress: BuildProgress | None = None,
    cancel: threading.Event | None = None,
    wait: float = 0.0,
    exact_below: int = vectors.EXACT_BELOW,
) -> BuildReport:
    """Bring the index of `collection` up to date, embedding only new or changed chunks.

    Vectors are cached by content hash as they are computed, so an interrupted build resumes;
    the new generation becomes visible in one SQLite commit, so readers see old or new, never half.
    """
    started = time.perf_counter()
    folder = index_dir(collection.root)
    try:
        report = _build(collection, spec, encoder_factory, folder, rebuild, progress, cancel, wait, exact_below)
    except sqlite3.DatabaseError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise IndexBusyError(f"the index database in {folder} is locked ({error})", "try again") from error
        raise IndexCorruptError(f"the index database in {folder} is damaged ({error})", REBUILD_HINT) from error
    except OSError as error:
        raise PapernotesError(
            f"cannot update the index in {folder} ({error.strerror or error})",
            "check free space and permissions, then run: papernotes index",
        ) from error
    report.seconds = time.perf_counter() - started
    return report


def _build(
    collection: NoteCollection,
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
            if not _database_healthy(db):
                _remove_database(folder)
        connection = _open_for_writing(db)
        try:
            manifest = _read_manifest(connection)
            problem = _manifest_problem(manifest, spec) if manifest else None
            if problem and "newer papernotes" in problem and not rebuild:
                raise IndexCorruptError(problem, REBUILD_HINT)
            if problem:
                logger.info("full rebuild: %s", problem)
                report.full_rebuild_reason = problem
                connection.close()
                _remove_database(folder)
                connection = _open_for_writing(db)
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
                damage = _generation_problem(folder, generation, manifest) or _sentence_problem(
                    connection, manifest
                )
                if damage is None:
                    report.chunks_total = connection.execute(
                        "SELECT COUNT(*) FROM chunks WHERE generation=?", (generation,)
                    ).fetchone()[0]
                    return report
                # Rewrite the generation's files from the vector cache (only missing sentences are embedded).
                logger.info("rewriting the index files: %s", damage)
                report.full_rebuild_reason = f"the index files were damaged, rewriting them ({damage})"

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
                report.chunks_embedded = _embed_missing(
                    connection, "vectors", missing, encoder_factory, progress, cancel, stage="embedding"
                )
            live_quotes = quote_texts(chunks)
            if not (cancel is not None and cancel.is_set()):
                known = set() if rebuild else {row[0] for row in connection.execute("SELECT hash FROM sentence_vectors")}
                missing = {h: t for h, t in live_quotes.items() if h not in known}
                if missing:
                    report.sentences_embedded = _embed_missing(
                        connection, "sentence_vectors", missing, encoder_factory, progress, cancel,
                        stage="embedding sentences", dtype=SENTENCE_DTYPE,
                    )
            if cancel is not None and cancel.is_set():
                raise BuildCancelled("index build cancelled; the previous index is unchanged")
            if progress:
                progress("writing", 0, 1)
            matrix, dimension = _matrix_for(connection, chunks)
            new_generation = _next_generation(folder, generation)
            _write_generation(folder, new_generation, matrix, chunks, exact_below, backend_name)
            _commit_generation(
                connection, collection.notes, chunks, new_generation, generation, spec, dimension, set(live_quotes),
                backend_name,
            )
            _cleanup(folder, keep={generation, new_generation})
            if progress:
                progress("writing", 1, 1)
        finally:
            connection.close()
    return report


def _generation_problem(folder: Path, generation: int, manifest: dict[str, str]) -> str | None:
    """Why the files of `generation` can't be read as the manifest describes them (None when they can)."""
    try:
        size = int(manifest.get("chunks", "0"))
        dimension = int(manifest.get("dimension", "0"))
        gen = _gen_dir(folder, generation)
        if size:
            backend = vectors.backend(manifest.get("vector_backend", vectors.DEFAULT_BACKEND))
            backend.open(gen, expected_size=size, expected_dimension=dimension)
        lexical.LexicalIndex.load(gen / "bm25", expected_size=size)
    except ValueError:
        return "the index manifest is damaged"
    except IndexCorruptError as error:
        return error.message
    return None


def _sentence_problem(connection: sqlite3.Connection, manifest: dict[str, str]) -> str | None:
    """Why the stored answer-sentence vectors don't match the manifest (None when they do).

    Damaged ones are deleted, so the rewrite that follows embeds them again.
    """
    import numpy as np

    try:
        expected = int(manifest.get("sentences") or -1)
    except ValueError:
        return None
    if expected < 0:
        return None  # written before the count was recorded
    width = int(manifest.get("dimension", "0")) * np.dtype(SENTENCE_DTYPE).itemsize
    with connection:
        damaged = connection.execute("DELETE FROM sentence_vectors WHERE length(vector) != ?", (width,)).rowcount
    stored = connection.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]
    if damaged or stored < expected:  # more is harmless: a cancelled build's, dropped at the next commit
        return f"{damaged} damaged and {max(0, expected - stored)} missing sentence vectors"
    return None


def _database_healthy(db: Path) -> bool:
    """Whether the database file can be kept by a rebuild (missing counts as healthy)."""
    if not db.exists():
        return True
    try:
        connection = _connect(db)
        try:
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def _open_for_writing(db: Path) -> sqlite3.Connection:
    try:
        connection = _connect(db)
        connection.executescript(_SCHEMA)
        connection.execute("SELECT COUNT(*) FROM manifest").fetchone()
        return connection
    except sqlite3.DatabaseError as error:
        raise IndexCorruptError(f"the index database {db} is damaged ({error})", REBUILD_HINT) from error


def _remove_database(folder: Path) -> None:
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"):
        (folder / name).unlink(missing_ok=True)
    for gen in folder.glob("gen-*"):
        shutil.rmtree(gen, ignore_errors=True)


def _embed_missing(
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


def _matrix_for(connection: sqlite3.Connection, chunks: Sequence[Chunk]) -> tuple[np.ndarray, int]:
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


def _next_generation(folder: Path, current: int) -> int:
    existing = [int(p.name.split("-")[1].split(".")[0]) for p in folder.glob("gen-*") if p.name.split("-")[1][:6].isdigit()]
    return max([current, *existing]) + 1


def _write_generation(
    folder: Path,
    generation: int,
    matrix: np.ndarray,
    chunks: Sequence[Chunk],
    exact_below: int,
    backend_name: str = vectors.DEFAULT_BACKEND,
) -> None:
    """Write the vectors (through the vector backend) and BM25 into a temp folder, then rename it into place."""
    final = _gen_dir(folder, generation)
    staging = folder / f"{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    if len(matrix):
        try:
            vectors.backend(backend_name).write(matrix, staging, exact_below=exact_below)
            (staging / BACKEND_FILE).write_text(backend_name + "\n", encoding="utf-8")
        except RuntimeError as error:  # faiss reports a failed write (e.g. a full disk) this way
            raise OSError(f"cannot write the vectors in {staging}: {str(error).splitlines()[0][:120]}") from error
    lexical.LexicalIndex.build([c.embed_text for c in chunks]).save(staging / "bm25")
    for item in staging.rglob("*"):
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    os.rename(staging, final)
    fsync_dir(folder)


def _commit_generation(
    connection: sqlite3.Connection,
    notes: Sequence[Note],
    chunks: Sequence[Chunk],
    generation: int,
    previous: int,
    spec: ModelSpec,
    dimension: int,
    live_quotes: set[str] | None = None,
    backend_name: str = vectors.DEFAULT_BACKEND,
) -> None:
    """Make `generation` current in one transaction, keeping `previous` for readers still on it.

    Sentence vectors of sentences no longer in any chunk are dropped (`live_quotes`: the hashes to
    keep); a reader still on `previous` embeds the few it then misses.
    """
    with connection:
        connection.executemany(
            "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (generation, n.id, i, n.rel_path, n.title, json.dumps(_meta_dict(n)), n.content_hash)
                for i, n in enumerate(notes)
            ],
        )
        connection.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (generation, row, c.id, c.note_id, c.ordinal, c.section, c.start_line, c.end_line, c.text, c.context, c.content_hash)
                for row, c in enumerate(chunks)
            ],
        )
        values = {
            "schema_version": str(SCHEMA_VERSION),
            "model_name": spec.label,
            "model_path": str(spec.path),
            "model_fingerprint": spec.fingerprint,
            "dimension": str(dimension),
            "generation": str(generation),
            "chunks": str(len(chunks)),
            "chunker_version": CHUNKER_VERSION,
            "vector_backend": backend_name,
            "sentences": str(len(live_quotes)) if live_quotes is not None else "",
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        connection.executemany("INSERT OR REPLACE INTO manifest VALUES (?, ?)", list(values.items()))
        connection.execute("DELETE FROM notes WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute("DELETE FROM chunks WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute(
            "DELETE FROM vectors WHERE hash NOT IN (SELECT hash FROM chunks)"
        )
        if live_quotes is not None:
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS live_quotes (hash TEXT PRIMARY KEY)")
            connection.execute("DELETE FROM live_quotes")
            connection.executemany("INSERT OR IGNORE INTO live_quotes VALUES (?)", ((h,) for h in live_quotes))
            connection.execute("DELETE FROM sentence_vectors WHERE hash NOT IN (SELECT hash FROM live_quotes)")
            connection.execute("DELETE FROM live_quotes")


def _meta_dict(note: Note) -> dict[str, Any]:
    meta = note.meta
    return {
        "authors": meta.authors,
        "year": meta.year,
        "paper": meta.paper,
        "code": meta.code,
        "source": meta.source,
        "tags": meta.tags,
        "aliases": meta.aliases,
    }


def _cleanup(folder: Path, keep: set[int]) -> None:
    """Remove generations other than `keep` (and what their vector backend holds) and dead staging folders."""
    for item in folder.glob("gen-*"):
        name = item.name
        if ".tmp-" in name or int(name[4:10]) not in keep:
            if ".tmp-" not in name:
                try:
                    marker = item / BACKEND_FILE
                    written_by = marker.read_text(encoding="utf-8").strip() if marker.exists() else vectors.DEFAULT_BACKEND
                    vectors.backend(written_by).drop(item)
                except (PapernotesError, OSError) as error:
                    logger.warning("could not release the vectors of %s: %s", item, error)
            shutil.rmtree(item, ignore_errors=True)


class StoredIndex:
    """A read-only view of one generation of the index: vectors, keywords and chunk records."""

    def __init__(self, root: Path, spec: ModelSpec | None = None) -> None:
        self.root = root
        folder = index_dir(root)
        db = folder / DB_NAME
        if not db.exists():
            raise IndexMissingError(f"no index for {root} yet", "run: papernotes index")
        for attempt in range(3):
            self.generation = 0
            try:
                self._open(db, folder, spec)
                return
            except IndexCorruptError:
                # Two builds finishing between reading the manifest and loading the files remove
                # this generation's folder: there is a newer generation to open, not damage.
                vanished = self.generation and not _gen_dir(folder, self.generation).is_dir()
                if attempt == 2 or not vanished or _current_generation(db) in (None, self.generation):
                    raise

    def _open(self, db: Path, folder: Path, spec: ModelSpec | None) -> None:
        try:
            self._db = _connect(db, readonly=True)
        except sqlite3.DatabaseError as error:
            raise IndexCorruptError(f"the index database {db} is damaged ({error})", REBUILD_HINT) from error
        try:
            self._load(db, folder, spec)
        except BaseException:
            self._db.close()
            raise

    def _load(self, db: Path, folder: Path, spec: ModelSpec | None) -> None:
        try:
            # One read transaction for the reader's lifetime: a snapshot in which this generation's
            # rows stay visible even after later builds delete them.
            self._db.execute("BEGIN")
            self.manifest = _read_manifest(self._db)
        except sqlite3.DatabaseError as error:
            raise IndexCorruptError(f"the index database {db} is damaged ({error})", REBUILD_HINT) from error
        problem = _manifest_problem(self.manifest, spec)
        if problem:
            raise IndexCorruptError(problem, REBUILD_HINT)
        try:
            self.generation = int(self.manifest["generation"])
            self.dimension = int(self.manifest["dimension"])
            self.size = int(self.manifest["chunks"])
            self.model_name = self.manifest["model_name"]
            self.model_path = Path(self.manifest["model_path"])
        except (KeyError, ValueError) as error:
            raise IndexCorruptError("the index manifest is incomplete", REBUILD_HINT) from error
        gen = _gen_dir(folder, self.generation)
        self.vector_index: vectors.VectorIndex | None = (
            vectors.backend(self.manifest.get("vector_backend", vectors.DEFAULT_BACKEND)).open(
                gen, expected_size=self.size, expected_dimension=self.dimension
            )
            if self.size
            else None
        )
        self.lexical = lexical.LexicalIndex.load(gen / "bm25", expected_size=self.size)
        self.notes = self._load_notes()
        self._lock = threading.Lock()

    def _load_notes(self) -> dict[str, StoredNote]:
        try:
            rows = self._db.execute(
                "SELECT id, ord, rel_path, title, meta, content_hash FROM notes WHERE generation=? ORDER BY ord",
                (self.generation,),
            ).fetchall()
            return {
                r["id"]: StoredNote(r["id"], r["ord"], r["rel_path"], r["title"], json.loads(r["meta"]), r["content_hash"])
                for r in rows
            }
        except (sqlite3.DatabaseError, ValueError) as error:
            raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error

    def chunks(self, rows: Sequence[int]) -> list[StoredChunk]:
        """Chunk records for `rows`, in the same order."""
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        try:
            with self._lock:
                found = self._db.execute(
                    f"SELECT * FROM chunks WHERE generation=? AND row IN ({marks})",
                    (self.generation, *[int(r) for r in rows]),
                ).fetchall()
        except sqlite3.DatabaseError as error:
            raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error
        by_row = {r["row"]: r for r in found}
        result = []
        for row in rows:
            record = by_row.get(int(row))
            if record is None:
                raise IndexCorruptError(f"chunk row {row} is missing from the index database", REBUILD_HINT)
            note = self.notes.get(record["note_id"])
            result.append(
                StoredChunk(
                    row=record["row"],
                    id=record["id"],
                    note_id=record["note_id"],
                    ordinal=record["ordinal"],
                    section=record["section"],
                    start_line=record["start_line"],
                    end_line=record["end_line"],
                    text=record["text"],
                    context=record["context"],
                    title=note.title if note else record["note_id"],
                    rel_path=note.rel_path if note else "",
                )
            )
        return result

    def rows_of_notes(self, note_ids: Sequence[str]) -> list[int]:
        """Every chunk row belonging to the given notes."""
        if not note_ids:
            return []
        marks = ",".join("?" * len(note_ids))
        try:
            with self._lock:
                # Sorted here: ORDER BY in SQL makes SQLite walk the whole generation in row order.
                return sorted(
                    r[0]
                    for r in self._db.execute(
                        f"SELECT row FROM chunks WHERE generation=? AND note_id IN ({marks})",
                        (self.generation, *note_ids),
                    )
                )
        except sqlite3.DatabaseError as error:
            raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error

    def mentions(self, phrase: str) -> bool:
        """Whether any chunk of this generation contains `phrase` as whole words (case-insensitive).

        The keyword index's posting lists narrow the rows to read; a SQL scan is the fallback for
        phrases made only of stop words, or absent ones whose words more than MENTION_ROWS rows share.
        """
        import re

        from indexer.lexical import tokenize

        # Whole words as the keyword index splits them: "2" is not in "2.0", nor "Apache" in "x.Apache".
        pattern = re.compile(rf"(?<!\w)(?<!\w[.']){re.escape(phrase)}(?![.']?\w)", re.IGNORECASE)
        terms = tokenize(phrase)
        if terms:
            rows = self.lexical.rows_with_all(terms)
            if rows is None:
                return False  # a word no passage has (the keyword index tokenizes passages the same way)
            for start in range(0, min(len(rows), MENTION_ROWS), 500):
                if any(pattern.search(c.text) for c in self.chunks([int(r) for r in rows[start : start + 500]])):
                    return True
            if len(rows) <= MENTION_ROWS:
                return False
        escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self._lock:
            found = self._db.execute(
                "SELECT text FROM chunks WHERE generation=? AND text LIKE ? ESCAPE '\\' LIMIT 50",
                (self.generation, f"%{escaped}%"),
            ).fetchall()
        return any(pattern.search(r[0]) for r in found)

    def sentence_vectors(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of quotable sentences by hash (float32); absent or damaged ones are left out."""
        import numpy as np

        found: dict[str, np.ndarray] = {}
        width = self.dimension * np.dtype(SENTENCE_DTYPE).itemsize
        for start in range(0, len(hashes), 500):
            part = list(hashes[start : start + 500])
            marks = ",".join("?" * len(part))
            try:
                with self._lock:
                    rows = self._db.execute(
                        f"SELECT hash, vector FROM sentence_vectors WHERE hash IN ({marks})", part
                    ).fetchall()
            except sqlite3.DatabaseError as error:  # an index from before sentence vectors, or damage
                logger.debug("no stored sentence vectors: %s", error)
                return found
            for key, blob in rows:
                if len(blob) == width:
                    found[key] = np.frombuffer(blob, dtype=SENTENCE_DTYPE).astype(np.float32)
        return found

    def vectors_of(self, rows: Sequence[int]) -> np.ndarray:
        """The stored vectors of `rows` (reconstructed from FAISS)."""
        import numpy as np

        if self.vector_index is None or not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self.vector_index.reconstruct(int(r)) for r in rows])

    def close(self) -> None:
        """Release the database connection."""
        self._db.close()
