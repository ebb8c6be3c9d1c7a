"""Generation folders: written in staging and renamed into place, committed in SQLite, cleaned up."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer import lexical, vectors
from indexer.chunking import Chunk
from indexer.embedding import ModelSpec
from indexer.errors import PapernotesError
from indexer.fileio import fsync_dir
from indexer.notes import Note
from indexer.store.database import CHUNKER_VERSION, SCHEMA_VERSION

if TYPE_CHECKING:
    import numpy as np

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
) -> None:
    """Write the vectors (through the vector backend) and BM25 into a temp folder, then rename it into place."""
    final = gen_dir(folder, generation)
    staging = folder / f"{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
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
        for item in staging.rglob("*"):
            if item.is_file():
                with open(item, "rb") as handle:
                    os.fsync(handle.fileno())
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a full disk or a cancel leaves nothing half-written
        raise
    fsync_dir(folder)


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
) -> None:
    """Make `generation` current in one transaction, keeping `previous` for readers still on it.

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
