"""The vector index: exact below the threshold, IVF above it with high recall, safe to save and load."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from indexer import vectors
from indexer.errors import IndexCorruptError, PapernotesError


def clustered(count: int, seed: int, dimension: int = 64) -> np.ndarray:
    """Normalised vectors around 40 topics (like embeddings: clustered, not uniform)."""
    topics = np.random.default_rng(0).standard_normal((40, dimension)).astype(np.float32)
    rng = np.random.default_rng(seed)
    x = topics[rng.integers(0, len(topics), count)] + 0.6 * rng.standard_normal((count, dimension)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact_top(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ base.T), axis=1)[:, :k]


def test_small_collections_get_exact_search() -> None:
    base, queries = clustered(500, 1), clustered(20, 2)
    index = vectors.build_index(base)
    assert isinstance(index, faiss.IndexFlatIP)
    scores, rows = vectors.search(index, queries, 10)
    np.testing.assert_array_equal(rows, exact_top(base, queries, 10))
    np.testing.assert_allclose(scores[:, 0], (queries @ base.T).max(axis=1), rtol=1e-5)


@pytest.fixture(scope="module")
def ivf_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, Path]:
    base = clustered(8000, 1)
    path = tmp_path_factory.mktemp("ivf") / "vectors.faiss"
    vectors.save_index(vectors.build_index(base, exact_below=5000), path)
    return base, path


def test_large_collections_get_ivf_with_high_recall(ivf_case: tuple[np.ndarray, Path]) -> None:
    base, path = ivf_case
    index = vectors.load_index(path, expected_size=len(base), expected_dimension=base.shape[1])
    assert isinstance(index, faiss.IndexIVF)
    assert index.nlist == vectors.ivf_lists(len(base)) and index.nprobe == vectors.ivf_probes(index.nlist)
    queries = clustered(100, 2)
    _, rows = vectors.search(index, queries, 10)
    truth = exact_top(base, queries, 10)
    recall = np.mean([len(set(r) & set(t)) / 10 for r, t in zip(rows, truth, strict=True)])
    assert recall >= 0.95


def test_ivf_rows_can_be_read_back_after_loading(ivf_case: tuple[np.ndarray, Path]) -> None:
    base, path = ivf_case
    index = vectors.load_index(path, expected_size=len(base), expected_dimension=base.shape[1])
    for row in (0, 17, len(base) - 1):
        np.testing.assert_allclose(index.reconstruct(row), base[row], atol=1e-3)  # stored as float16


def test_tiny_collections_never_train_ivf_on_too_few_points() -> None:
    for count in (300, 6000):  # 6000 vectors would need 154 cells x 39 points
        assert isinstance(vectors.build_index(clustered(count, 1), exact_below=10), faiss.IndexFlatIP)


def test_ivf_cells_grow_with_the_square_root_and_probes_with_cells() -> None:
    assert vectors.ivf_lists(10) == vectors.IVF_MIN_LISTS
    assert vectors.ivf_lists(1_000_000) == 2 * vectors.ivf_lists(250_000)
    assert vectors.ivf_probes(vectors.IVF_MIN_LISTS) == min(vectors.IVF_MIN_LISTS, vectors.IVF_MIN_PROBES)
    assert vectors.ivf_probes(2000) == 200


def test_k_larger_than_the_collection_and_empty_indexes() -> None:
    base = clustered(5, 1)
    scores, rows = vectors.search(vectors.build_index(base), base[:2], 40)
    assert rows.shape == (2, 5) and set(rows[0]) == set(range(5))
    empty = vectors.build_index(np.zeros((0, 64), dtype=np.float32))
    scores, rows = vectors.search(empty, base[:3], 10)
    assert scores.shape == rows.shape == (3, 0)


def test_a_size_mismatch_or_damage_is_index_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "vectors.faiss"
    vectors.save_index(vectors.build_index(clustered(50, 1)), path)
    with pytest.raises(IndexCorruptError, match="expects"):
        vectors.load_index(path, expected_size=51, expected_dimension=64)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match="damaged"):
        vectors.load_index(path, expected_size=50, expected_dimension=64)


def test_old_hnsw_indexes_still_load_and_search(tmp_path: Path) -> None:
    base = clustered(400, 1)
    hnsw = faiss.IndexHNSWFlat(64, 16, faiss.METRIC_INNER_PRODUCT)
    hnsw.add(base)
    path = tmp_path / "vectors.faiss"
    vectors.save_index(hnsw, path)
    index = vectors.load_index(path, expected_size=400, expected_dimension=64)
    assert index.hnsw.efSearch == vectors.HNSW_EF_SEARCH
    _, rows = vectors.search(index, base[:5], 1)
    assert rows[:, 0].tolist() == [0, 1, 2, 3, 4]


def test_the_default_backend_writes_and_opens_a_generation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERNOTES_VECTOR_BACKEND", raising=False)
    store = vectors.backend()
    assert isinstance(store, vectors.FaissBackend)
    base = clustered(30, 1)
    store.write(base, tmp_path)
    index = store.open(tmp_path, expected_size=30, expected_dimension=64)
    _, rows = vectors.search(index, base[:3], 1)
    assert rows[:, 0].tolist() == [0, 1, 2]
    store.drop(tmp_path)
    assert (tmp_path / vectors.INDEX_FILE).exists()  # the store deletes generation folders itself


def test_an_unknown_backend_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_VECTOR_BACKEND", "nonexistent")
    with pytest.raises(PapernotesError, match="no vector backend"):
        vectors.backend()
