"""The FAISS vector index: exact inner product for small collections, IVF (fp16) past a size threshold.

The threshold and parameters are measured (docs/PERFORMANCE.md, `python -m bench.search_latency`):
exact search is cheapest to build and always right, and stays fast up to ~100k chunks on two
cores; from there an inverted-file index with float16 vectors answers in a few milliseconds with
recall@10 ≥ 0.95, builds in about a minute per million chunks (HNSW took ten), and halves memory.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from indexer.errors import IndexCorruptError

if TYPE_CHECKING:
    import faiss
    import numpy as np

logger = logging.getLogger(__name__)

EXACT_BELOW = 100_000
"""Below this many vectors the index is exact (IndexFlatIP); from here on, IVF."""
HNSW_THRESHOLD = EXACT_BELOW
"""Old name of EXACT_BELOW, kept for callers."""
IVF_LISTS_PER_SQRT = 2
"""IVF cells = this × √n (2000 at 1M): fewer cells train faster, more cells scan less per probe."""
IVF_MIN_LISTS = 64
IVF_PROBE_SHARE = 0.06
"""Share of cells scanned per query: recall@10 ≥ 0.97 on clustered synthetic vectors at 100k-1M
(recall at a fixed share falls slowly as n grows: 5% gave 0.98 at 100k and 0.975 at 1M)."""
IVF_MIN_PROBES = 32
IVF_TRAIN_PER_LIST = 50
"""Training sample per cell (k-means on at most this × cells vectors)."""
IVF_TRAIN_ITERATIONS = 20
HNSW_EF_SEARCH = 96
"""For indexes written by older versions, which used HNSW past 200k vectors."""


class VectorIndex(Protocol):
    """What the store and retrieval need from a vector index: the part of `faiss.Index` they use.

    A backend that is not FAISS (a vector database client, see docs/SCALING.md) implements these
    four members over its own storage; rows are the store's chunk rows.
    """

    ntotal: int
    d: int

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def reconstruct(self, row: int) -> np.ndarray: ...


def ivf_lists(count: int) -> int:
    """IVF cells for `count` vectors."""
    return max(IVF_MIN_LISTS, int(IVF_LISTS_PER_SQRT * math.sqrt(count)))


def ivf_probes(lists: int) -> int:
    """Cells to scan per query in an index of `lists` cells."""
    return min(lists, max(IVF_MIN_PROBES, math.ceil(IVF_PROBE_SHARE * lists)))


def build_index(vectors: np.ndarray, *, exact_below: int = EXACT_BELOW) -> faiss.Index:
    """An inner-product index over L2-normalised `vectors` (rows = chunk rows)."""
    import faiss  # deferred: faiss is only needed to build or search
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) < max(exact_below, IVF_MIN_LISTS * 39):
        index: faiss.Index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(vectors)
        return index
    lists = ivf_lists(len(vectors))
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, lists, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    ivf.cp.niter = IVF_TRAIN_ITERATIONS
    ivf.cp.max_points_per_centroid = IVF_TRAIN_PER_LIST  # faiss samples the training set (fixed seed)
    ivf.train(vectors)
    ivf.add(vectors)
    ivf.nprobe = ivf_probes(lists)
    ivf.make_direct_map()  # reconstruct(row) for StoredIndex.vectors_of
    logger.info("IVF index: %d vectors in %d cells", len(vectors), lists)
    return ivf


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
    if hasattr(index, "nprobe"):
        index.nprobe = ivf_probes(index.nlist)  # the current tuning, whatever the file was written with
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def search(index: VectorIndex, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, rows) per query; rows are -1 where fewer than k exist."""
    import numpy as np

    k = max(1, min(k, index.ntotal)) if index.ntotal else 1
    if index.ntotal == 0:
        n = len(queries)
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

