"""The ONNX encoder against torch with the real model: same vectors, same answers, no torch on ask."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from indexer import onnx_export
from indexer.chunking import chunk_note
from indexer.embedding import (
    INT8_RECIPE,
    OnnxEncoder,
    TokenCounter,
    TorchEncoder,
    load_encoder,
    resolve_model,
)
from indexer.knowledge import KnowledgeBase
from indexer.notes import load_notes
from tests.conftest import CONTENT, REPO

QUESTIONS = [json.loads(line)["question"] for line in (REPO / "tests/eval/questions.jsonl").read_text().splitlines() if line.strip()]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every chunk the shipped notes are embedded as, plus the evaluation questions."""
    counter = TokenCounter(resolve_model())
    chunks = [c.embed_text for note in load_notes(CONTENT).notes for c in chunk_note(note, counter)]
    return chunks + QUESTIONS


@pytest.fixture(scope="module")
def torch_encoder() -> TorchEncoder:
    return TorchEncoder(resolve_model())


@pytest.fixture(scope="module")
def onnx_encoder() -> OnnxEncoder:
    spec = resolve_model()
    export = onnx_export.find_export(spec) or onnx_export.export_model(spec)
    return OnnxEncoder(spec, export.path)


def test_onnx_vectors_match_torch_on_the_notes(texts, torch_encoder, onnx_encoder) -> None:
    expected = torch_encoder.encode_documents(texts)
    got = onnx_encoder.encode_documents(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert float((got * expected).sum(axis=1).min()) >= 0.999


def test_query_and_document_paths_agree_and_batching_does_not_matter(texts, onnx_encoder) -> None:
    together = onnx_encoder.encode_documents(texts[:40])
    alone = np.vstack([onnx_encoder.encode_queries([t]) for t in texts[:40]])
    assert float((together * alone).sum(axis=1).min()) >= 0.99999
    assert onnx_encoder.encode_documents([]).shape == (0, onnx_encoder.dimension)


def test_default_encoder_is_onnx_and_the_export_cache_is_clean(onnx_encoder) -> None:
    spec = resolve_model()
    assert isinstance(load_encoder(spec), OnnxEncoder)
    export = onnx_export.find_export(spec)
    assert export is not None
    assert export.meta["parity_cosine"] >= onnx_export.PARITY_MIN
    leftovers = [p.name for p in export.path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def _answer_record(kb: KnowledgeBase, question: str) -> dict:
    data = kb.ask(question).to_json()
    for citation in data["citations"]:
        citation.pop("score")
    data.pop("confidence")
    return data


def test_answers_and_citations_are_identical_across_backends(content_kb: KnowledgeBase, monkeypatch) -> None:
    monkeypatch.setenv("PAPERNOTES_BACKEND", "torch")
    torch_kb = KnowledgeBase(content_kb.root)
    assert isinstance(torch_kb.encoder().inner, TorchEncoder)
    assert isinstance(content_kb.encoder().inner, OnnxEncoder)
    for question in QUESTIONS[::3]:  # a third of the set: each answer embeds dozens of sentences
        assert _answer_record(content_kb, question) == _answer_record(torch_kb, question), question


def test_ask_never_imports_torch(content_kb: KnowledgeBase) -> None:
    code = (
        "import sys\n"
        "from indexer.cli import main\n"
        f"code = main(['ask', '--notes', {str(content_kb.root)!r}, 'What does MobileSAM distil?'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(code or bool(heavy))\n"
    )
    env = {**os.environ, "PAPERNOTES_BACKEND": "auto"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "HEAVY []" in run.stdout


def test_int8_is_close_to_fp32_and_has_its_own_fingerprint(texts, onnx_encoder) -> None:
    spec = resolve_model(precision="int8")
    encoder = load_encoder(spec)
    assert isinstance(encoder, OnnxEncoder) and encoder.model_path.name == onnx_export.INT8_FILE
    cosine = (encoder.encode_documents(texts) * onnx_encoder.encode_documents(texts)).sum(axis=1)
    assert float(cosine.mean()) >= 0.98
    assert spec.fingerprint != resolve_model().fingerprint


def test_int8_keeps_the_first_layer_exact_and_names_its_recipe() -> None:
    import onnx

    spec = resolve_model(precision="int8")
    load_encoder(spec)
    export = onnx_export.find_export(spec, "int8")
    assert export is not None and export.meta["int8_recipe"] == INT8_RECIPE
    graph = onnx.load(str(export.path), load_external_data=False).graph
    float_matmuls = {n.name for n in graph.node if n.op_type == "MatMul"}
    first = onnx_export.first_layer_matmuls(export.path.with_name(onnx_export.MODEL_FILE))
    assert first and set(first) <= float_matmuls  # left in fp32
    assert any(n.op_type == "MatMulInteger" for n in graph.node)  # the other layers are int8
    assert not any("layer.1/" in name for name in float_matmuls)
