"""Reading one generation of the index: vectors, keywords and chunk records, in one SQLite snapshot."""

from __future__ import annotations

import gc
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from indexer import lexical, vectors
from indexer.embedding import ModelSpec
from indexer.errors import IndexCorruptError, IndexMissingError
from indexer.store import derived
from indexer.store.database import (
    DB_NAME,
    REBUILD_HINT,
    SENTENCE_DTYPE,
    connect,
    current_generation,
    read_manifest,
)
from indexer.store.generations import gen_dir
from indexer.store.location import index_dir
from indexer.store.manifest import manifest_problem
from indexer.store.records import StoredChunk, StoredNote

if TYPE_CHECKING:
    import numpy as np

    from indexer.fields import NoteFields

logger = logging.getLogger(__name__)

MENTION_ROWS = 5_000
"""`mentions` reads at most this many candidate rows before it falls back to a SQL scan."""
CHUNK_CACHE = 4_096
"""Chunk records kept after `chunks` read them (~8 MB of passages). A question reads ~60 candidate rows and
questions about the same notes share most of them: over the 100-question batch on 100 notes this
halves the rows read from SQLite."""


class StoredIndex:
    """A read-only view of one generation of the index: vectors, keywords and chunk records."""

    def __init__(self, root: Path, spec: ModelSpec | None = None, folder: Path | None = None) -> None:
        self.root = root
        folder = folder or index_dir(root)
        self.folder = folder
        self._chunk_cache: dict[int, StoredChunk] = {}
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
                vanished = self.generation and not gen_dir(folder, self.generation).is_dir()
                if attempt == 2 or not vanished or current_generation(db) in (None, self.generation):
                    raise

    def _open(self, db: Path, folder: Path, spec: ModelSpec | None) -> None:
        try:
            self._db = connect(db, readonly=True)
            self.frozen = bool(getattr(self._db, "frozen", False))
            self._signature = _signature(db)
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
            self.manifest = read_manifest(self._db)
        except sqlite3.DatabaseError as error:
            raise IndexCorruptError(f"the index database {db} is damaged ({error})", REBUILD_HINT) from error
        problem = manifest_problem(self.manifest, spec)
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
        gen = gen_dir(folder, self.generation)
        self.vector_index: vectors.VectorIndex | None = (
            vectors.backend(self.manifest.get("vector_backend", vectors.DEFAULT_BACKEND)).open(
                gen, expected_size=self.size, expected_dimension=self.dimension
            )
            if self.size
            else None
        )
        self.lexical = lexical.LexicalIndex.load(gen / "bm25", expected_size=self.size)
        self._lock = threading.Lock()
        self.notes = StoredNotes(self._db, self.generation, self._lock)
        self._derived = derived.Derived(gen, self.manifest.get("fields_rule"))

    def note_fields(self) -> tuple[NoteFields, NoteFields] | None:
        """The notes' title and metadata fields as the build stored them (None: derive them, `fields.note_fields`)."""
        return self._derived.fields()

    def note_words(self) -> frozenset[str] | None:
        """The notes' words as the build stored them (None: derive them, `fields.note_words`)."""
        return self._derived.words()

    def stored_names(self, rule: str) -> list[tuple[str, str]] | None:
        """The (name, note id) pairs the build derived by names rule `rule`; None when it used another (or none)."""
        stored = self._derived.names(rule)  # one JSON file: ~10x faster than the rows
        if stored is not None:
            return stored
        if self.manifest.get("names_rule") != rule:
            return None
        try:
            with self._lock:
                return [
                    (r[0], r[1])
                    for r in self._db.execute("SELECT name, note_id FROM note_names WHERE generation=?", (self.generation,))
                ]
        except sqlite3.DatabaseError as error:
            logger.debug("no stored note names: %s", error)
            return None

    def chunks(self, rows: Sequence[int]) -> list[StoredChunk]:
        """Chunk records for `rows`, in the same order (the last CHUNK_CACHE read are kept: questions share passages)."""
        if not rows:
            return []
        cache = self._chunk_cache
        wanted = [int(r) for r in rows]
        missing = list(dict.fromkeys(r for r in wanted if r not in cache))
        if missing:
            marks = ",".join("?" * len(missing))
            try:
                with self._lock:
                    found = self._db.execute(
                        f"SELECT * FROM chunks WHERE generation=? AND row IN ({marks})", (self.generation, *missing)
                    ).fetchall()
            except sqlite3.DatabaseError as error:
                raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error
            for record in found:
                note = self.notes.get(record["note_id"])
                cache[record["row"]] = StoredChunk(
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
        result = []
        for row in wanted:
            chunk = cache.get(row)
            if chunk is None:
                raise IndexCorruptError(f"chunk row {row} is missing from the index database", REBUILD_HINT)
            result.append(chunk)
        while len(cache) > CHUNK_CACHE:  # oldest first (dicts keep insertion order)
            del cache[next(iter(cache))]
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

    def outdated(self) -> bool:
        """Whether this reader must be reopened: it is frozen (immutable) and the database has changed since."""
        return self.frozen and _signature(self.folder / DB_NAME) != self._signature

    def close(self) -> None:
        """Release the database connection."""
        self._db.close()


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class StoredNotes(Mapping[str, StoredNote]):
    """The generation's notes by id, read from the snapshot as asked: one note by its key, all of them
    (in reading order, one JSON parse: 100k notes in ~0.2 s) only when iterated or counted."""

    _COLUMNS = "id, ord, rel_path, title, meta, content_hash"

    def __init__(self, db: sqlite3.Connection, generation: int, lock: threading.Lock) -> None:
        self._db, self._generation, self._lock = db, generation, lock
        self._some: dict[str, StoredNote | None] = {}
        self._all: dict[str, StoredNote] | None = None

    def __getitem__(self, note_id: str) -> StoredNote:
        if self._all is not None:
            return self._all[note_id]
        if note_id not in self._some:
            self._some[note_id] = self._one(note_id)
        found = self._some[note_id]
        if found is None:
            raise KeyError(note_id)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def _one(self, note_id: str) -> StoredNote | None:
        try:
            with self._lock:
                row = self._db.execute(
                    f"SELECT {self._COLUMNS} FROM notes WHERE generation=? AND id=?", (self._generation, note_id)
                ).fetchone()
            if row is None:
                return None
            meta = json.loads(row["meta"])
            if not isinstance(meta, dict):
                raise ValueError(f"the metadata of note {note_id!r} is not an object")
            return StoredNote(row["id"], row["ord"], row["rel_path"], row["title"], meta, row["content_hash"])
        except (sqlite3.DatabaseError, ValueError) as error:
            raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error

    def _load(self) -> dict[str, StoredNote]:
        if self._all is not None:
            return self._all
        paused = gc.isenabled()
        gc.disable()  # ~10 small objects per note and no cycles: the collector's passes cost more than the parse
        try:
            with self._lock:
                rows = self._db.execute(
                    f"SELECT {self._COLUMNS} FROM notes WHERE generation=? ORDER BY ord", (self._generation,)
                ).fetchall()
            metas = json.loads("[" + ",".join(r["meta"] for r in rows) + "]")  # one parse
            if len(metas) != len(rows) or not all(isinstance(m, dict) for m in metas):
                raise ValueError("note metadata is not one object per note")
            self._all = {
                r["id"]: StoredNote(r["id"], r["ord"], r["rel_path"], r["title"], meta, r["content_hash"])
                for r, meta in zip(rows, metas, strict=True)
            }
        except (sqlite3.DatabaseError, ValueError) as error:
            raise IndexCorruptError(f"the index database is damaged ({error})", REBUILD_HINT) from error
        finally:
            if paused:
                gc.enable()
        self._some.clear()
        return self._all
