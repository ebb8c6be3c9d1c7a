"""The FAISS vector index: exact inner product for small collections, IVF (fp16) past a size threshold.

The threshold and parameters are measured (docs/PERFORMANCE.md, `python -m bench.search_latency`):
exact search is free to build and always right, and takes ≤ 10 ms per query up to 100k chunks on
two cores; from there an inverted-file index with float16 vectors answers in 0.5 ms (100k) to 5 ms
(1M) with recall@10 0.97-0.99, builds 2-6× faster than the HNSW settings tried (every index update
rebuilds it), and halves memory.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from indexer.embedding import default_threads
from indexer.errors import IndexCorruptError
from indexer.imports import heavy

if TYPE_CHECKING:
    import faiss
    import numpy as np

logger = logging.getLogger(__name__)

EXACT_BELOW = 100_000
"""Below this many vectors the index is exact (IndexFlatIP); from here on, IVF."""
HNSW_THRESHOLD = EXACT_BELOW
"""Old name of EXACT_BELOW, kept for callers."""
IVF_LISTS_PER_SQRT = 2
"""IVF cells = this × √n (632 at 100k, 2000 at 1M). Twice as many cells reached the same recall
with half the probes but took 3-4× longer to train, and every index update retrains."""
IVF_MIN_LISTS = 64
IVF_PROBE_SHARE = 0.10
"""Share of cells scanned per query: recall@10 0.97 at 100k on clustered synthetic vectors (0.94 at
6%), rising with n at a fixed share; a query still scans only ~0.3 ms (100k) to ~10 ms (1M)."""
IVF_MIN_PROBES = 32
IVF_TRAIN_PER_LIST = 50
"""Training sample per cell (k-means on at most this × cells vectors)."""
IVF_TRAIN_ITERATIONS = 20
KMEANS_MIN_PER_LIST = 39
"""faiss's k-means wants at least this many vectors per cell; fewer vectors stay exact."""
PARALLEL_QUERIES = 16
"""From this many queries in one call, search uses every core."""
HNSW_EF_SEARCH = 96
"""For indexes written by older versions, which used HNSW past 200k vectors."""


INDEX_FILE = "vectors.faiss"
BACKEND_GROUP = "papernotes.vector_backends"
"""Entry-point group where packages register other vector backends (docs/SCALING.md)."""


class VectorIndex(Protocol):
    """What the store and retrieval need from an open vector index: the part of `faiss.Index` they use.

    Rows are the store's chunk rows; scores are inner products of normalised vectors (cosine).
    """

    ntotal: int
    d: int

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each queries × k, best first; rows are -1 where fewer than k exist."""
        ...

    def reconstruct(self, row: int) -> np.ndarray:
        """The stored vector of one row."""
        ...


class VectorBackend(Protocol):
    """Where one index generation's vectors live: written once, opened read-only, dropped with it.

    `folder` is the generation's folder, written before the generation becomes current in SQLite;
    a backend that keeps vectors elsewhere (a Qdrant or Milvus collection) writes only a pointer
    there, so the store's atomic swap and clean-up of generations still decide what is visible.
    """

    def write(self, matrix: np.ndarray, folder: Path, *, exact_below: int = ...) -> None:
        """Store the vectors of rows 0..len(matrix)-1 for the generation in `folder`."""
        ...

    def open(self, folder: Path, *, expected_size: int, expected_dimension: int) -> VectorIndex:
        """The generation's index; IndexCorruptError when it is missing, damaged or the wrong size."""
        ...

    def drop(self, folder: Path) -> None:
        """Release what `write` stored outside `folder` (nothing for FAISS: the folder is deleted)."""
        ...


class FaissBackend:
    """The default backend: one FAISS file per generation, exact or IVF by size."""

    def write(self, matrix: np.ndarray, folder: Path, *, exact_below: int = EXACT_BELOW) -> None:
        """Build the index for `matrix` and write it into `folder`."""
        save_index(build_index(matrix, exact_below=exact_below), folder / INDEX_FILE)

    def open(self, folder: Path, *, expected_size: int, expected_dimension: int) -> VectorIndex:
        """Read the generation's FAISS file."""
        return load_index(folder / INDEX_FILE, expected_size=expected_size, expected_dimension=expected_dimension)

    def drop(self, folder: Path) -> None:
        """Nothing to release outside the folder."""


DEFAULT_BACKEND = "faiss"


def backend_name() -> str:
    """The backend new index generations are written with: `$PAPERNOTES_VECTOR_BACKEND`, else "faiss"."""
    import os

    return (os.environ.get("PAPERNOTES_VECTOR_BACKEND") or DEFAULT_BACKEND).strip().lower()


def backend(name: str | None = None) -> VectorBackend:
    """The vector backend called `name` (default `$PAPERNOTES_VECTOR_BACKEND`, else "faiss").

    Other backends are classes registered by installed packages under the entry-point group
    `papernotes.vector_backends`, e.g. `qdrant = papernotes_qdrant:QdrantBackend`.
    """
    wanted = (name or backend_name()).strip().lower()
    if wanted == DEFAULT_BACKEND:
        return FaissBackend()
    from importlib.metadata import entry_points  # deferred: ~0.1 s, and only other backends need it

    from indexer.errors import PapernotesError

    for entry in entry_points(group=BACKEND_GROUP):
        if entry.name == wanted:
            return entry.load()()
    raise PapernotesError(f"no vector backend called {wanted!r}", "install its package, or unset PAPERNOTES_VECTOR_BACKEND")


def ivf_lists(count: int) -> int:
    """IVF cells for `count` vectors."""
    return max(IVF_MIN_LISTS, int(IVF_LISTS_PER_SQRT * math.sqrt(count)))


def ivf_probes(lists: int) -> int:
    """Cells to scan per query in an index of `lists` cells."""
    return min(lists, max(IVF_MIN_PROBES, math.ceil(IVF_PROBE_SHARE * lists)))


def build_index(vectors: np.ndarray, *, exact_below: int = EXACT_BELOW) -> faiss.Index:
    """An inner-product index over L2-normalised `vectors` (rows = chunk rows)."""
    heavy("faiss")  # one thread at a time (see indexer.imports)
    import faiss  # deferred: faiss is only needed to build or search
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    faiss.omp_set_num_threads(default_threads())  # training and adding use every core
    lists = ivf_lists(len(vectors))
    if len(vectors) < max(exact_below, lists * KMEANS_MIN_PER_LIST):
        index: faiss.Index = faiss.IndexFlatIP(dimension)
        if len(vectors):
            index.add(vectors)
        return index
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
    heavy("faiss")  # one thread at a time (see indexer.imports)
    import faiss

    try:
        # Memory-mapped, not read: opening 1M IVF vectors takes ~5 ms instead of ~1.5 s, and pages
        # are read as searches touch them. A truncated file still fails here (faiss checks sizes).
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
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
    _set_search_threads(len(queries))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


def _set_search_threads(queries: int) -> None:
    """One OpenMP thread for a few queries: fork/join costs more than it saves there (10k exact:
    0.3 ms on one thread, 16 ms on two with the machine busy), all cores for batches."""
    import faiss

    faiss.omp_set_num_threads(1 if queries < PARALLEL_QUERIES else default_threads())

