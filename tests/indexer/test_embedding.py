"""Encoder choice and batching, without running a model: backends, precision, the export cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import onnx_export
from indexer.embedding import ModelSpec, length_batches, load_encoder, resolve_model
from indexer.errors import ModelError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty export cache."""
    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_length_batches_cover_every_text_once_shortest_first() -> None:
    lengths = [50, 3, 256, 7, 7, 120, 256, 12]
    batches = length_batches(lengths, max_items=3, max_tokens=600)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 600


def test_length_batches_keep_a_text_longer_than_the_budget_alone() -> None:
    assert length_batches([900, 10], max_items=8, max_tokens=512) == [[1], [0]]
    assert length_batches([], max_items=8, max_tokens=512) == []


def test_fp32_fingerprint_is_the_weights_fingerprint_and_int8_differs() -> None:
    fp32 = resolve_model(precision="fp32")
    int8 = resolve_model(precision="int8")
    assert fp32.fingerprint == fp32.weights_fingerprint == int8.weights_fingerprint
    assert int8.fingerprint != fp32.fingerprint
    assert int8.label.endswith("(int8)") and fp32.label == fp32.name


def test_precision_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_PRECISION", "int8")
    assert resolve_model().precision == "int8"
    monkeypatch.setenv("PAPERNOTES_PRECISION", "fp8")
    with pytest.raises(ModelError, match="precision"):
        resolve_model()


def test_unknown_backend_is_a_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_BACKEND", "tensorflow")
    with pytest.raises(ModelError, match="PAPERNOTES_BACKEND"):
        load_encoder(resolve_model())


def test_torch_backend_refuses_int8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_BACKEND", "torch")
    with pytest.raises(ModelError, match="ONNX"):
        load_encoder(resolve_model(precision="int8"))


def test_cache_dir_follows_the_environment(cache: Path) -> None:
    spec = resolve_model()
    assert onnx_export.export_dir(spec) == cache / "onnx" / spec.weights_fingerprint


def _fake_export(spec: ModelSpec, **meta: object) -> Path:
    folder = onnx_export.export_dir(spec)
    folder.mkdir(parents=True)
    (folder / onnx_export.MODEL_FILE).write_bytes(b"not an onnx graph")
    record = {"format": onnx_export.EXPORT_FORMAT, "fingerprint": spec.weights_fingerprint, "dimension": 384,
              "files": {"fp32": onnx_export.MODEL_FILE}}
    (folder / onnx_export.META_FILE).write_text(json.dumps({**record, **meta}))
    return folder


def test_an_export_counts_only_once_its_record_is_written(cache: Path) -> None:
    spec = resolve_model()
    folder = onnx_export.export_dir(spec)
    folder.mkdir(parents=True)
    (folder / onnx_export.MODEL_FILE).write_bytes(b"half written")
    assert onnx_export.find_export(spec) is None


def test_exports_of_another_format_or_model_are_ignored(cache: Path) -> None:
    spec = resolve_model()
    _fake_export(spec, format=onnx_export.EXPORT_FORMAT + 1)
    assert onnx_export.find_export(spec) is None
    (onnx_export.export_dir(spec) / onnx_export.META_FILE).unlink()
    (onnx_export.export_dir(spec) / onnx_export.MODEL_FILE).unlink()
    onnx_export.export_dir(spec).rmdir()
    _fake_export(spec, fingerprint="0" * 16)
    assert onnx_export.find_export(spec) is None


def test_found_export_names_its_file_per_precision(cache: Path) -> None:
    spec = resolve_model()
    folder = _fake_export(spec)
    found = onnx_export.find_export(spec)
    assert found is not None and found.path == folder / onnx_export.MODEL_FILE and found.dimension == 384
    assert onnx_export.find_export(spec, "int8") is None


def test_a_damaged_export_is_a_model_error_when_onnx_is_forced(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = resolve_model()
    _fake_export(spec)
    monkeypatch.setenv("PAPERNOTES_BACKEND", "onnx")
    with pytest.raises(ModelError, match="ONNX export"):
        load_encoder(spec)


def test_no_export_and_no_torch_is_a_model_error_when_onnx_is_forced(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_export, "torch_available", lambda: False)
    monkeypatch.setenv("PAPERNOTES_BACKEND", "onnx")
    with pytest.raises(ModelError, match="torch is not installed"):
        load_encoder(resolve_model())


def test_an_unwritable_cache_is_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(blocker))
    if not onnx_export.torch_available():
        pytest.skip("the export needs torch")
    with pytest.raises(ModelError, match="PAPERNOTES_CACHE_DIR"):
        onnx_export.export_model(resolve_model())
