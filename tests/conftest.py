"""Shared fixtures: a copy of the shipped notes, indexed once per session with the real packaged model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"

SHARED_CORPORA = Path(os.environ.get("PAPERNOTES_SHARED_CORPORA") or REPO.parent / "shared" / "corpora")
"""Outside note collections (read-only): `<clone>/../shared/corpora`, or `$PAPERNOTES_SHARED_CORPORA` (e.g. for a worktree)."""
PAPERS_WE_READ = SHARED_CORPORA / "papers_we_read"

MODEL_CACHE = REPO / ".pytest-cache-models"
"""The ONNX export (and converted readers) the tests use: one per clone, git-ignored, kept between runs."""

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Set at import, before any test or fixture runs, so the export happens at most once per session
# (and once per clone) instead of writing ~90 MB into the user's cache folder. Subprocesses inherit
# it; tests that need an empty cache monkeypatch it. A value the user set wins.
os.environ.setdefault("PAPERNOTES_CACHE_DIR", str(MODEL_CACHE))


@pytest.fixture(scope="session")
def content_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A KnowledgeBase over a copy of content/, with its index built."""
    root = tmp_path_factory.mktemp("content")
    for note in CONTENT.glob("*.md"):
        shutil.copy2(note, root / note.name)
    kb = KnowledgeBase(root)
    kb.build()
    return kb


def papers_we_read_or_skip() -> Path:
    """The outside collection papers_we_read, or skip the test with the reason."""
    if not (PAPERS_WE_READ / "summaries").is_dir():
        pytest.skip(f"outside collection not found at {PAPERS_WE_READ} (set PAPERNOTES_SHARED_CORPORA to its parent folder)")
    return PAPERS_WE_READ


@pytest.fixture(scope="session")
def papers_we_read_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """papers_we_read imported (as `papernotes import` does) into a temporary folder and indexed once per session."""
    from indexer.eval_collection import import_collection

    source = papers_we_read_or_skip()
    kb = KnowledgeBase(import_collection(source, tmp_path_factory.mktemp("papers_we_read")))
    kb.build()
    return kb
