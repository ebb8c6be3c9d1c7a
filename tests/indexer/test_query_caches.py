"""Per-process caches of the query path (chunk records, vocabulary lookups, names in a query) answer as a fresh read does."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import indexer.store.stored_index as stored_index
from indexer.knowledge import KnowledgeBase
from indexer.lexical import LexicalIndex
from indexer.store import StoredIndex
from indexer.store.generations import gen_dir
from tests.conftest import REPO

QUESTIONS = [json.loads(line)["question"] for line in (REPO / "tests/eval/questions.jsonl").read_text().splitlines() if line.strip()]


def test_chunk_records_come_out_as_a_fresh_read_gives_them(content_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored_index, "CHUNK_CACHE", 7)  # small, so that rows are evicted and read again
    reused = StoredIndex(content_kb.root, content_kb.spec, content_kb.index_folder)
    rng = random.Random(13)
    for _ in range(40):
        rows = [rng.randrange(reused.size) for _ in range(rng.randrange(1, 12))]  # repeats and any order
        fresh = StoredIndex(content_kb.root, content_kb.spec, content_kb.index_folder)
        assert reused.chunks(rows) == fresh.chunks(rows)
        assert [c.row for c in reused.chunks(rows)] == rows
        assert len(reused._chunk_cache) <= 7
        fresh.close()
    reused.close()


def test_remembered_term_lookups_score_as_a_fresh_index_does(content_kb: KnowledgeBase) -> None:
    index = content_kb.retriever().index
    folder = gen_dir(index.folder, index.generation) / "bm25"
    reused = LexicalIndex.load(folder, expected_size=index.size)
    for question in QUESTIONS + [q.lower() for q in QUESTIONS[:20]]:
        fresh = LexicalIndex.load(folder, expected_size=index.size)
        assert np.array_equal(reused.scores(question), fresh.scores(question)), question


def test_names_found_in_a_query_are_the_same_when_asked_again(content_kb: KnowledgeBase) -> None:
    retriever = content_kb.retriever()
    first = [retriever.name_spans(q) for q in QUESTIONS]
    for spans in first:
        if spans:
            spans.clear()  # a caller changing its list must not change what the next call gets
    again = [retriever.name_spans(q) for q in QUESTIONS]
    assert any(again)
    assert again == [retriever._find_spans(q) for q in QUESTIONS]
