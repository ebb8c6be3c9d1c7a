"""Generation folders: written in staging and renamed into place, committed in SQLite, cleaned up."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from indexer import lexical, vectors
from indexer.errors import PapernotesError
from indexer.fileio import fsync_dir
from indexer.store.database import CHUNKER_VERSION, NOTE_FILES_TABLE, SCHEMA_VERSION

if TYPE_CHECKING:
    import numpy as np

    from indexer.catalog import FileStat, NoteInfo
    from indexer.chunking import Chunk
    from indexer.embedding import ModelSpec
    from indexer.notes import Note

NoteStats = dict[str, "tuple[FileStat | None, int]"]
"""Note id → (its file's stat, or None, and the time.time_ns() at which it was taken)."""

logger = logging.getLogger(__name__)

BACKEND_FILE = "vector-backend"
"""Names, inside a generation folder, the vector backend that wrote it (so clean-up can release it)."""


def gen_dir(folder: Path, generation: int) -> Path:
    """The folder of one generation."""
    return folder / f"gen-{generation:06d}"


def next_generation(folder: Path, current: int) -> int:
    """A generation number above the current one and above any folder on disk."""
    existing = [int(p.name.split("-")[1].split(".")[0]) for p in folder.glob("gen-*") if p.name.split("-")[1][:6].isdigit()]
    return max([current, *existing]) + 1


def write_generation(
    folder: Path,
    generation: int,
    matrix: np.ndarray,
    chunks: Sequence[Chunk],
    exact_below: int,
    backend_name: str = vectors.DEFAULT_BACKEND,
    notes: Sequence[Note] = (),
) -> dict[str, Any]:
    """Write the vectors (through the vector backend), BM25 and what queries derive from `notes`
    (store/derived.py) into a temp folder, then rename it into place.

    Returns what was written, for the manifest: a later build checks the files against it
    instead of loading them.
    """
    from indexer.store import derived

    final = gen_dir(folder, generation)
    staging = folder / f"{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    files: dict[str, list[int]] = {}
    try:
        staging.mkdir(parents=True)
        if len(matrix):
            try:
                vectors.backend(backend_name).write(matrix, staging, exact_below=exact_below)
                (staging / BACKEND_FILE).write_text(backend_name + "\n", encoding="utf-8")
            except RuntimeError as error:  # faiss reports a failed write (e.g. a full disk) this way
                full = os.statvfs(staging).f_bavail == 0  # asked now: removing the staging frees space
                raise OSError(
                    errno.ENOSPC if full else errno.EIO,
                    f"cannot write the vectors in {staging}: {str(error).splitlines()[0][:120]}",
                ) from error
        lexical.LexicalIndex.build([c.embed_text for c in chunks]).save(staging / "bm25")
        derived.write(staging, stored_views(notes))
        for item in sorted(staging.rglob("*")):
            if item.is_file():
                with open(item, "rb") as handle:
                    checksum = file_checksum(handle)
                    os.fsync(handle.fileno())
                    info = os.fstat(handle.fileno())
                files[item.relative_to(staging).as_posix()] = [info.st_size, checksum, info.st_mtime_ns, info.st_ino]
        os.rename(staging, final)  # keeps every file's inode and mtime
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a full disk or a cancel leaves nothing half-written
        raise
    fsync_dir(folder)
    dimension = int(matrix.shape[1]) if len(matrix) else 0
    return {"chunks": len(chunks), "dimension": dimension, "files": files, "fields_rule": derived.RULE}


def file_checksum(handle: BinaryIO) -> int:
    """CRC-32 of a whole file (damage detection, read in 1 MB blocks)."""
    checksum = 0
    while block := handle.read(1 << 20):
        checksum = zlib.crc32(block, checksum)
    return checksum


def files_problem(folder: Path, record: dict[str, Any]) -> str | None:
    """Why the files of a generation folder differ from what `write_generation` recorded (None when they don't).

    A file whose size, mtime and inode are as written is taken as written; any other is read and
    its checksum compared, so a copy of the folder passes and a damaged file does not.
    """
    for name, (size, checksum, mtime_ns, inode) in record["files"].items():
        path = folder / name
        try:
            info = path.stat()
            if info.st_size != size:
                return f"{path} has {info.st_size} bytes, {size} were written"
            if (info.st_mtime_ns, info.st_ino) != (mtime_ns, inode):
                with open(path, "rb") as handle:
                    if file_checksum(handle) != checksum:
                        return f"{path} is not the file that was written (checksum)"
        except OSError as error:
            return f"{path} cannot be read ({error.strerror or error})"
    return None


def commit_generation(
    connection: sqlite3.Connection,
    notes: Sequence[Note],
    chunks: Sequence[Chunk],
    generation: int,
    previous: int,
    spec: ModelSpec,
    dimension: int,
    live_quotes: set[str] | None = None,
    backend_name: str = vectors.DEFAULT_BACKEND,
    written: dict[str, Any] | None = None,
    stats: NoteStats | None = None,
) -> None:
    """Make `generation` current in one transaction, keeping `previous` for readers still on it.

    `written` is `write_generation`'s record of the files; `stats` the file stat (and when it was
    taken, before the note was read) of each note id, recorded with the note for freshness checks.

    Sentence vectors of sentences no longer in any chunk are dropped (`live_quotes`: the hashes to
    keep); a reader still on `previous` embeds the few it then misses.
    """
    with connection:
        connection.executemany(
            "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (generation, n.id, i, n.rel_path, n.title, json.dumps(meta_dict(n)), n.content_hash)
                for i, n in enumerate(notes)
            ],
        )
        write_note_files(connection, generation, notes, stats or {})
        names_rule = write_note_names(connection, generation, notes)
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
            "generation_files": json.dumps(written) if written is not None else "",
            "names_rule": names_rule,
            "fields_rule": (written or {}).get("fields_rule", ""),
        }
        connection.executemany("INSERT OR REPLACE INTO manifest VALUES (?, ?)", list(values.items()))
        connection.execute("DELETE FROM notes WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute("DELETE FROM chunks WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute(f"DELETE FROM {NOTE_FILES_TABLE} WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute("DELETE FROM note_names WHERE generation NOT IN (?, ?)", (generation, previous))
        connection.execute(
            "DELETE FROM vectors WHERE hash NOT IN (SELECT hash FROM chunks)"
        )
        if live_quotes is not None:
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS live_quotes (hash TEXT PRIMARY KEY)")
            connection.execute("DELETE FROM live_quotes")
            connection.executemany("INSERT OR IGNORE INTO live_quotes VALUES (?)", ((h,) for h in live_quotes))
            connection.execute("DELETE FROM sentence_vectors WHERE hash NOT IN (SELECT hash FROM live_quotes)")
            connection.execute("DELETE FROM live_quotes")


def write_note_files(connection: sqlite3.Connection, generation: int, notes: Sequence[Note | NoteInfo], stats: NoteStats) -> None:
    """Record each note's file stat (size -1 when unknown) and its catalog record (metadata, own warnings)."""
    from indexer.catalog import NoteInfo
    from indexer.notefiles import duplicate_titles

    shared = duplicate_titles(notes)
    rows = []
    for note in notes:
        known, checked = stats.get(note.id, (None, 0))
        info = note if isinstance(note, NoteInfo) else NoteInfo.from_note(note, known, checked, shared)
        record = info.record()
        size, mtime_ns, inode = (known.size, known.mtime_ns, known.inode) if known is not None else (-1, 0, 0)
        rows.append((generation, note.id, size, mtime_ns, inode, checked, record))
    connection.executemany(f"INSERT OR REPLACE INTO {NOTE_FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def write_note_names(connection: sqlite3.Connection, generation: int, notes: Sequence[Note]) -> str:
    """Store the names that single out a note (retrieval's rule, derived once per build); returns the rule's version."""
    from types import SimpleNamespace

    from indexer.retrieval import NAMES_RULE, _note_names

    stored = {n.id: n for n in stored_views(notes)}
    names = _note_names(SimpleNamespace(notes=stored))  # type: ignore[arg-type]
    connection.executemany("INSERT OR REPLACE INTO note_names VALUES (?, ?, ?)", [(generation, n, i) for n, i in names])
    return NAMES_RULE


def stored_views(notes: Sequence[Note]) -> list[Any]:
    """Parsed notes as a reader sees them (`StoredNote`'s id, title and metadata dict), for what a build derives."""
    from types import SimpleNamespace

    return [SimpleNamespace(id=n.id, title=n.title, meta=meta_dict(n)) for n in notes]


def meta_dict(note: Note) -> dict[str, Any]:
    """The metadata stored with a note's record."""
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


def cleanup(folder: Path, keep: set[int]) -> None:
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
