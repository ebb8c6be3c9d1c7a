"""The index folder: SQLite (notes, chunks, vector cache, manifest) + FAISS/BM25 generations, swapped atomically.

The public names live in the modules below and are importable from `indexer.store` as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.lazy import lazy_names

_HOMES = {
    "EMBED_BATCH": "builder", "build": "builder",
    "CHUNKER_VERSION": "database", "DB_NAME": "database", "REBUILD_HINT": "database",
    "SCHEMA_VERSION": "database", "SENTENCE_DTYPE": "database",
    "BACKEND_FILE": "generations",
    "INDEX_DIR": "location", "INDEX_ENV": "location", "IndexLocation": "location", "index_dir": "location",
    "locate": "location",
    "write_lock": "lock",
    "BuildCancelled": "records", "BuildProgress": "records", "BuildReport": "records",
    "IndexStatus": "records", "StoredChunk": "records", "StoredNote": "records",
    "index_status": "status",
    "Freshness": "stale", "refresh": "stale", "stale_warning": "stale",
    "MENTION_ROWS": "stored_index", "StoredIndex": "stored_index",
}  # fmt: skip
"""Which module holds each public name. They are imported on first use, so that `indexer.store.location`
or `indexer.store.database` can be used (by `papernotes list`) without importing the builder's numpy,
chunker and Markdown parser."""


__getattr__ = lazy_names(__name__, _HOMES)


if TYPE_CHECKING:
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
