"""Shared fixtures: a copy of the shipped notes, indexed once per session with the real packaged model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def content_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A KnowledgeBase over a copy of content/, with its index built."""
    root = tmp_path_factory.mktemp("content")
    for note in CONTENT.glob("*.md"):
        shutil.copy2(note, root / note.name)
    kb = KnowledgeBase(root)
    kb.build()
    return kb
