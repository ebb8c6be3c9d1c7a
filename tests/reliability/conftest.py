"""Fixtures for the reliability suite: the packaged model loaded once, and in-process build/ask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.answer import Answer, answer_question
from indexer.embedding import Encoder, ModelSpec, load_encoder, resolve_model
from indexer.notes import load_notes
from indexer.retrieval import Retriever
from indexer.store import BuildReport, StoredIndex, build


@pytest.fixture(scope="session")
def spec() -> ModelSpec:
    """The packaged default model."""
    return resolve_model(None)


@pytest.fixture(scope="session")
def encoder(spec: ModelSpec) -> Encoder:
    """The real encoder, loaded once for the whole suite (about 7 s)."""
    return load_encoder(spec)


@pytest.fixture(scope="session")
def build_index(spec: ModelSpec, encoder: Encoder) -> Callable[..., BuildReport]:
    """Build (or update) the index of a notes folder in this process, with the shared encoder."""

    def run(notes: Path, **options: object) -> BuildReport:
        return build(load_notes(notes), spec, lambda: encoder, **options)

    return run


@pytest.fixture(scope="session")
def ask(spec: ModelSpec, encoder: Encoder) -> Callable[[StoredIndex | Path, str], Answer]:
    """Answer a question from an open StoredIndex (or a notes folder, opened and closed around it)."""

    def run(source: StoredIndex | Path, question: str) -> Answer:
        if isinstance(source, StoredIndex):
            return answer_question(question, Retriever(source, encoder))
        index = StoredIndex(source, spec)
        try:
            return answer_question(question, Retriever(index, encoder))
        finally:
            index.close()

    return run
