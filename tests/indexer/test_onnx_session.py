"""The encoder's session from the export's mapped copy: bit-identical vectors and eval figures, safe fallbacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer import onnx_export, onnx_session
from indexer.chunking import chunk_note
from indexer.embedding import OnnxEncoder, TokenCounter, resolve_model
from indexer.evaluation import evaluate, load_questions
from indexer.knowledge import KnowledgeBase
from indexer.notes import load_notes
from tests.conftest import CONTENT, REPO

QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every chunk the shipped notes are embedded as, plus the evaluation questions."""
    counter = TokenCounter(resolve_model())
    chunks = [c.embed_text for note in load_notes(CONTENT).notes for c in chunk_note(note, counter)]
    return chunks + [q.question for q in load_questions(QUESTIONS)]


@pytest.fixture()
def model(tmp_path: Path) -> Path:
    """A private copy of the fp32 export (so the tests can damage its mapped copy freely)."""
    spec = resolve_model()
    export = onnx_export.find_export(spec) or onnx_export.export_model(spec)
    target = tmp_path / "export" / export.path.name
    target.parent.mkdir()
    shutil.copy2(export.path, target)
    return target


def _encoder(model: Path) -> OnnxEncoder:
    return OnnxEncoder(resolve_model(), model)


def test_the_copy_is_made_once_then_used_and_gives_the_same_bits(model: Path, texts: list[str]) -> None:
    first = _encoder(model)
    assert first.session_path == model
    state, copy = onnx_session.copy_state(model)
    assert state == "current" and copy is not None and (copy.parent / onnx_session.WEIGHTS_FILE).stat().st_size > 80e6
    assert copy.stat().st_size < 1e6  # the graph alone: the weights are in their own file
    pointer = json.loads((model.parent / "mapped" / "model" / "current.json").read_text())
    assert pointer["sha256"][:16] in pointer["folder"] and pointer["onnxruntime"] in pointer["folder"]
    second = _encoder(model)
    assert second.session_path == copy
    assert np.array_equal(first.encode_documents(texts), second.encode_documents(texts))
    leftovers = [p.name for p in (model.parent / "mapped" / "model").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_damaged_copy_falls_back_to_the_export_and_is_made_again(model: Path, texts: list[str]) -> None:
    reference = _encoder(model).encode_documents(texts[:20])
    _, copy = onnx_session.copy_state(model)
    assert copy is not None
    copy.write_bytes(b"not a graph")  # then make the pointer agree, so only loading it can tell
    pointer_path = model.parent / "mapped" / "model" / "current.json"
    pointer = json.loads(pointer_path.read_text())
    stat = copy.stat()
    pointer["files"][model.name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    pointer_path.write_text(json.dumps(pointer))
    fallback = _encoder(model)
    assert fallback.session_path == model
    assert np.array_equal(fallback.encode_documents(texts[:20]), reference)
    state, again = onnx_session.copy_state(model)
    assert state == "current" and again is not None and again != copy
    assert not copy.parent.exists()


def test_a_changed_weights_file_or_another_onnxruntime_is_not_trusted(model: Path) -> None:
    _encoder(model)
    _, copy = onnx_session.copy_state(model)
    assert copy is not None
    weights = copy.parent / onnx_session.WEIGHTS_FILE
    with weights.open("r+b") as handle:
        handle.truncate(weights.stat().st_size - 4096)
    assert onnx_session.copy_state(model) == ("missing", None)
    _encoder(model)  # makes a new copy
    pointer_path = model.parent / "mapped" / "model" / "current.json"
    pointer = json.loads(pointer_path.read_text())
    assert onnx_session.copy_state(model)[0] == "current"
    pointer_path.write_text(json.dumps({**pointer, "onnxruntime": "0.0.1"}))
    assert onnx_session.copy_state(model) == ("missing", None)
    model.touch()  # a re-exported model (new stat) is not the source the copy was made from either
    pointer_path.write_text(json.dumps(pointer))
    assert onnx_session.copy_state(model) == ("missing", None)


def test_eval_figures_are_identical_with_and_without_the_mapped_copy(tmp_path: Path, monkeypatch) -> None:
    """Each side builds its own index of content/ and answers the whole evaluation set."""
    questions = load_questions(QUESTIONS)
    spec = resolve_model()
    _encoder((onnx_export.find_export(spec) or onnx_export.export_model(spec)).path)  # the copy exists from here on
    results = {}
    for mapped in ("1", "0"):
        monkeypatch.setenv("PAPERNOTES_ONNX_MAPPED", mapped)
        root = tmp_path / f"notes-{mapped}"
        shutil.copytree(CONTENT, root)
        kb = KnowledgeBase(root)
        kb.build()
        inner = kb.encoder().inner
        assert isinstance(inner, OnnxEncoder)
        assert (onnx_session.FOLDER in inner.session_path.parts) == (mapped == "1")
        result = evaluate(kb, questions, mode="hybrid")
        results[mapped] = (
            (result.hit_at_1, result.hit_at_3, result.mrr, result.key_rate, result.refused_unanswerable, result.false_refusals),
            [(r.id, r.ranked_notes, r.answer) for r in result.results],
        )
    assert results["1"] == results["0"]
