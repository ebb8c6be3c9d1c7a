"""Fixtures for the importer tests: the fixture folders and golden-file comparison."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from indexer.fileio import atomic_write_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
UPDATE_GOLDEN = "UPDATE_GOLDEN"
"""Run `UPDATE_GOLDEN=1 .venv/bin/pytest tests/indexer/importers` to rewrite the golden files."""


@pytest.fixture
def streamlit_fixtures() -> Path:
    """tests/fixtures/streamlit: the seed page, a small Streamlit app, golden notes."""
    return FIXTURES / "streamlit"


@pytest.fixture
def markdown_fixtures() -> Path:
    """tests/fixtures/markdown: a collection of notes without front matter, golden notes."""
    return FIXTURES / "markdown"


@pytest.fixture
def golden() -> Callable[[str, Path], None]:
    """`golden(actual, path)`: assert `actual` equals the golden file (rewrite it with UPDATE_GOLDEN=1)."""

    def check(actual: str, path: Path) -> None:
        if os.environ.get(UPDATE_GOLDEN) == "1":
            atomic_write_text(path, actual)
            return
        assert path.is_file(), f"no golden file {path}; run with {UPDATE_GOLDEN}=1 to create it"
        assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"

    return check


def front_matter(note: Path) -> dict:
    """The YAML front matter of a written note (which must start with it)."""
    text = note.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{note} has no front matter"
    head, _, _ = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def read_front_matter() -> Callable[[Path], dict]:
    """`read_front_matter(note)`: the note's front matter as a dict."""
    return front_matter


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time, to prove nothing changed."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def tree_snapshot() -> Callable[[Path], dict[str, tuple[int, int]]]:
    """`tree_snapshot(folder)`: files with size and mtime."""
    return snapshot
