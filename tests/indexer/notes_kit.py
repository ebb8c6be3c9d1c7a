"""Test set-up for answers over a few made-up notes: write them to a folder, build a KnowledgeBase, ask it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from indexer.answer import answer_question
from indexer.answer.result import Answer
from indexer.knowledge import KnowledgeBase


def build_notes(root: Path, notes: Mapping[str, str]) -> KnowledgeBase:
    """Write each `file name -> text` into `root` and return the KnowledgeBase over it, index built."""
    for name, text in notes.items():
        (root / name).write_text(text, encoding="utf-8")
    knowledge = KnowledgeBase(root)
    knowledge.build()
    return knowledge


def notes_kb(notes: Mapping[str, str], name: str = "kb") -> Callable[..., KnowledgeBase]:
    """A module-scoped fixture called `name`: a KnowledgeBase over `notes`, built once per test module."""

    @pytest.fixture(scope="module", name=name)
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
        return build_notes(tmp_path_factory.mktemp(name), notes)

    return fixture


def ask(kb: KnowledgeBase, question: str) -> Answer:
    """`answer_question` over the retriever of `kb`: no scope, no previous answer."""
    return answer_question(question, kb.retriever())
