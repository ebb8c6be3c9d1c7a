"""The index folder: SQLite (notes, chunks, vector cache, manifest) + FAISS/BM25 generations, swapped atomically.

The public names live in the modules below and are importable from `indexer.store` as before.
"""

from __future__ import annotations

from indexer.store.builder import EMBED_BATCH, build
from indexer.store.database import (
    CHUNKER_VERSION,
    DB_NAME,
    REBUILD_HINT,
    SCHEMA_VERSION,
    SENTENCE_DTYPE,
)
from indexer.store.generations import BACKEND_FILE
from indexer.store.location import INDEX_DIR, INDEX_ENV, IndexLocation, index_dir, locate
from indexer.store.lock import write_lock
from indexer.store.records import (
    BuildCancelled,
    BuildProgress,
    BuildReport,
    IndexStatus,
    StoredChunk,
    StoredNote,
)
from indexer.store.stale import Freshness, refresh, stale_warning
from indexer.store.status import index_status
from indexer.store.stored_index import MENTION_ROWS, StoredIndex

__all__ = [
    "BACKEND_FILE",
    "CHUNKER_VERSION",
    "DB_NAME",
    "EMBED_BATCH",
    "INDEX_DIR",
    "INDEX_ENV",
    "MENTION_ROWS",
    "REBUILD_HINT",
    "SCHEMA_VERSION",
    "SENTENCE_DTYPE",
    "BuildCancelled",
    "BuildProgress",
    "BuildReport",
    "Freshness",
    "IndexLocation",
    "IndexStatus",
    "StoredChunk",
    "StoredIndex",
    "StoredNote",
    "build",
    "index_dir",
    "index_status",
    "locate",
    "refresh",
    "stale_warning",
    "write_lock",
]
