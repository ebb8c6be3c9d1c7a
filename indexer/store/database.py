"""The index database: schema, connections, the manifest rows, health checks and removal."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from indexer.errors import IndexCorruptError

DB_NAME = "index.sqlite"
SCHEMA_VERSION = 2
"""2: note files' stats and records (`note_files`), BM25 format 2. A schema 1 index is rewritten from
its cached vectors by the next build (nothing is embedded again)."""
CHUNKER_VERSION = "7"
"""Bump when chunking or quoting changes, or what a note's metadata is read as (the About passage, the stored
notes and their fields): every note is then re-chunked (vectors are still reused by hash). 6: years from a
venue near the top or the paper's arXiv id (`indexer.notemodel.METADATA_RULE` 2). 7: a table too long for one
chunk cut into runs of whole rows under its header row (taken back: it broke the chunker's coverage properties;
kept at 7 so indexes built with it are chunked again)."""
REBUILD_HINT = "run: papernotes index --rebuild"

SCHEMA = """
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
CREATE TABLE IF NOT EXISTS note_names (
    generation INTEGER NOT NULL, name TEXT NOT NULL, note_id TEXT NOT NULL, PRIMARY KEY (generation, name));
CREATE TABLE IF NOT EXISTS note_files (
    generation INTEGER NOT NULL, id TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, checked_ns INTEGER NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (generation, id));
"""
NOTE_FILES_TABLE = "note_files"
"""Per note of a generation: the file's stat when it was read (size -1: unknown) and its catalog record
(metadata and warnings as JSON), so freshness is checked without reading notes (indexer/catalog.py)."""
SENTENCE_DTYPE = "float16"
"""Sentence vectors are stored at half precision: scores move by ~1e-4, the table halves."""


class _Connection(sqlite3.Connection):
    frozen = False
    """Opened as immutable: the disk was full or read-only, so SQLite could not set up its WAL index."""


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the index database (WAL for writers; read-only by URI for readers).

    A reader that can't set up the WAL's shared-memory file (a full or read-only disk) opens the
    database as immutable instead, when no WAL content is left over; its `frozen` is then True.
    """
    if readonly:
        connection = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False, factory=_Connection
        )
        try:
            connection.execute("PRAGMA schema_version").fetchone()  # sets up the WAL index, or fails
        except sqlite3.OperationalError:
            connection.close()
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size:
                raise  # committed pages may live only in the WAL: immutable would miss them
            connection = sqlite3.connect(
                f"file:{path}?mode=ro&immutable=1", uri=True, timeout=30, check_same_thread=False,
                factory=_Connection,
            )
            connection.frozen = True
    else:
        connection = sqlite3.connect(path, timeout=30, check_same_thread=False, factory=_Connection)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    connection.row_factory = sqlite3.Row
    return connection


def current_generation(db: Path) -> int | None:
    """The generation the database names as current now (None when it can't be read)."""
    try:
        connection = connect(db, readonly=True)
        try:
            return int(read_manifest(connection).get("generation", "0"))
        finally:
            connection.close()
    except (sqlite3.DatabaseError, ValueError):
        return None


def read_manifest(connection: sqlite3.Connection) -> dict[str, str]:
    """The manifest rows as a dict."""
    return {row["key"]: row["value"] for row in connection.execute("SELECT key, value FROM manifest")}


def database_healthy(db: Path) -> bool:
    """Whether the database file can be kept by a rebuild (missing counts as healthy)."""
    if not db.exists():
        return True
    try:
        connection = connect(db)
        try:
            return connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def open_for_writing(db: Path) -> sqlite3.Connection:
    """A writer connection with the schema in place (IndexCorruptError when the file is not a database)."""
    try:
        connection = connect(db)
        connection.executescript(SCHEMA)
        connection.execute("SELECT COUNT(*) FROM manifest").fetchone()
        return connection
    except sqlite3.DatabaseError as error:
        raise IndexCorruptError(f"the index database {db} is damaged ({error})", REBUILD_HINT) from error


def remove_database(folder: Path) -> None:
    """Delete the database (and its WAL files) and every generation folder."""
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"):
        (folder / name).unlink(missing_ok=True)
    for gen in folder.glob("gen-*"):
        shutil.rmtree(gen, ignore_errors=True)
