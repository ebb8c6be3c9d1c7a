"""Chunking: sections are never crossed, the token limit holds, line ranges and ids are stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.chunking import chunk_note
from indexer.embedding import TokenCounter, resolve_model
from indexer.notes import read_note


@pytest.fixture(scope="module")
def counter() -> TokenCounter:
    return TokenCounter(resolve_model(None))


def test_long_sections_split_within_the_limit_and_keep_context(tmp_path: Path, counter: TokenCounter) -> None:
    sentences = " ".join(f"Sentence number {i} talks about masks and encoders." for i in range(200))
    path = tmp_path / "long.md"
    path.write_text(f"# Long Paper\n\n## Method\n\n{sentences}\n\n## Results\n\nShort result.\n")
    note = read_note(path, tmp_path)
    chunks = chunk_note(note, counter)
    assert len(chunks) > 3
    for chunk in chunks:
        assert counter.count(chunk.embed_text) <= counter.max_tokens
    method = [c for c in chunks if c.section == "Method"]
    assert all(c.context == "Long Paper › Method" for c in method)
    assert all("Short result." not in c.text for c in method)
    assert [c for c in chunks if c.section == "Results"][0].start_line == 9
    joined = " ".join(c.text for c in method)
    assert "Sentence number 0 " in joined and "Sentence number 199 " in joined


def test_chunk_ids_are_stable_when_another_section_changes(tmp_path: Path, counter: TokenCounter) -> None:
    path = tmp_path / "n.md"
    path.write_text("# N\n\n## A\n\nFirst section text.\n\n## B\n\nSecond section text.\n")
    before = {c.section: c.id for c in chunk_note(read_note(path, tmp_path), counter)}
    path.write_text("# N\n\n## A\n\nFirst section text, edited.\n\n## B\n\nSecond section text.\n")
    after = {c.section: c.id for c in chunk_note(read_note(path, tmp_path), counter)}
    assert before["B"] == after["B"]
    assert before["A"] != after["A"]


def test_unbreakable_text_is_cut_to_the_limit(tmp_path: Path, counter: TokenCounter) -> None:
    path = tmp_path / "w.md"
    path.write_text("# W\n\n" + "x" * 5000 + " " + "word " * 600 + "\n")
    chunks = chunk_note(read_note(path, tmp_path), counter)
    assert all(counter.count(c.embed_text) <= counter.max_tokens for c in chunks)
    assert sum(c.text.count("word") for c in chunks) == 600
