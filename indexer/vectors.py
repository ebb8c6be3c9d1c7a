"""The FAISS vector index: exact inner product for small collections, HNSW past a size threshold."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import IndexCorruptError

if TYPE_CHECKING:
    import faiss
    import numpy as np

logger = logging.getLogger(__name__)

HNSW_THRESHOLD = 200_000
"""From this many vectors on, an HNSW graph replaces exact search (see docs/PERFORMANCE.md)."""
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96


def build_index(vectors: np.ndarray, *, exact_below: int = HNSW_THRESHOLD) -> faiss.Index:
    """An inner-product index over L2-normalised `vectors` (rows = chunk rows)."""
    import faiss  # deferred: faiss is only needed to build or search
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) < exact_below:
        index: faiss.Index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    if len(vectors):
        index.add(vectors)
    return index


def save_index(index: faiss.Index, path: Path) -> None:
    """Write the index to `path` (the caller makes the folder swap atomic)."""
    import faiss

    faiss.write_index(index, str(path))


def load_index(path: Path, *, expected_size: int, expected_dimension: int) -> faiss.Index:
    """Read an index and check it matches the database; a mismatch or damage is IndexCorruptError."""
    import faiss

    try:
        index = faiss.read_index(str(path))
    except Exception as error:  # faiss raises RuntimeError with C++ text for any damage
        raise IndexCorruptError(
            f"vector index {path} is damaged ({str(error).splitlines()[0][:120]})",
            "run: papernotes index --rebuild",
        ) from error
    if index.ntotal != expected_size or index.d != expected_dimension:
        raise IndexCorruptError(
            f"vector index {path} holds {index.ntotal}×{index.d} vectors, the database expects "
            f"{expected_size}×{expected_dimension}",
            "run: papernotes index --rebuild",
        )
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, rows) per query; rows are -1 where fewer than k exist."""
    import numpy as np

    k = max(1, min(k, index.ntotal)) if index.ntotal else 1
    if index.ntotal == 0:
        n = len(queries)
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
