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


@pytest.mark.parametrize("columns", [3, 31])
def test_a_long_table_is_chunked_as_whole_rows_under_its_header(tmp_path: Path, counter: TokenCounter, columns: int) -> None:
    from bench.notes_gen import huge_table
    from indexer.quotes import chunk_quotes

    path = huge_table(tmp_path, rows=300, columns=columns)
    lines = path.read_text(encoding="utf-8").split("\n")
    note = read_note(path, tmp_path)
    chunks = [c for c in chunk_note(note, counter) if "| c1 |" in c.text]
    header = lines[lines.index(next(line for line in lines if line.startswith("| model")))]
    assert len(chunks) > 3
    rows_seen: list[str] = []
    for chunk in chunks:
        assert counter.count(chunk.embed_text) <= counter.max_tokens
        text = chunk.text.split("\n")
        first, *rows = text[next(i for i, line in enumerate(text) if " | " in line) :]  # the sentence may come first
        assert first.startswith("model | c1 | c2")  # every chunk's rows under their column names
        row_lines = range(chunk.end_line - len(rows) + 1, chunk.end_line + 1)
        for line, row in zip(row_lines, rows, strict=True):
            assert lines[line - 1].strip("| ").replace(" | ", " | ") == row  # the row's own source line
        rows_seen += rows
    assert [row.split(" | ")[0] for row in rows_seen] == [f"m{r}" for r in range(300)]  # no row cut or lost
    quotes = [q.sentence for c in chunks for q in chunk_quotes(c) if q.sentence.startswith("m")]
    assert len(quotes) == 300 and quotes[299].startswith("m299: c1 299; c2 598")  # each row read with its header
    assert header.startswith("| model")
