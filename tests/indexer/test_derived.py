"""What a build derives for queries (note fields, note words) equals what a reader would derive, and old or damaged files are rebuilt."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from indexer.fields import note_fields, note_words
from indexer.knowledge import KnowledgeBase
from indexer.lexical import tokenize
from indexer.store import StoredIndex, derived
from indexer.store.generations import gen_dir
from tests.conftest import REPO


def _questions(name: str) -> list[str]:
    return [json.loads(line)["question"] for line in (REPO / "tests" / "eval" / name).read_text().splitlines() if line.strip()]


def _assert_stored_equals_derived(kb: KnowledgeBase, questions: list[str]) -> None:
    index = StoredIndex(kb.root, kb.spec, kb.index_folder)
    try:
        stored = index.note_fields()
        assert stored is not None, "the build stored no note fields"
        notes = list(index.notes.values())
        derived_now = note_fields(notes)
        queries = [tokenize(q) for q in questions]
        for kept, fresh in zip(stored, derived_now, strict=True):
            assert list(kept.note_ids) == [n.id for n in notes]
            vocabulary = sorted({t for q in queries for t in q} | set(fresh._index._terms))
            for terms in [*queries, *([t] for t in vocabulary)]:
                assert np.array_equal(kept.scores(terms), fresh.scores(terms)), terms
        assert index.note_words() == note_words(notes)
    finally:
        index.close()


def test_stored_fields_and_words_equal_derived_ones_on_content(content_kb: KnowledgeBase) -> None:
    _assert_stored_equals_derived(content_kb, _questions("questions.jsonl"))


def test_stored_fields_and_words_equal_derived_ones_on_notes_nobody_here_wrote(papers_we_read_kb: KnowledgeBase) -> None:
    _assert_stored_equals_derived(papers_we_read_kb, _questions("papers_we_read.jsonl"))


def _old_copy(kb: KnowledgeBase, target: Path) -> KnowledgeBase:
    """A copy of `kb`'s index as a build before stored fields wrote it: no `notes/` folder, no manifest key."""
    shutil.copytree(kb.index_folder, target)
    with sqlite3.connect(target / "index.sqlite") as db:
        generation = int(db.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])
        db.execute("DELETE FROM manifest WHERE key='fields_rule'")
    shutil.rmtree(gen_dir(target, generation) / derived.FOLDER)
    return KnowledgeBase(kb.root, index=target)


def test_an_index_without_stored_fields_answers_the_same_and_is_upgraded_by_a_no_change_build(
    content_kb: KnowledgeBase, tmp_path: Path
) -> None:
    old = _old_copy(content_kb, tmp_path / "old-index")
    index = StoredIndex(old.root, old.spec, old.index_folder)
    assert index.note_fields() is None and index.note_words() is None
    index.close()
    for question in _questions("questions.jsonl"):
        assert old.ask(question) == content_kb.ask(question), question
    old.close_index()
    report = old.build(collection=old.catalog())
    assert report.full_rebuild_reason and "older rule" in report.full_rebuild_reason
    assert report.chunks_embedded == 0 and report.sentences_embedded == 0
    index = StoredIndex(old.root, old.spec, old.index_folder)
    assert index.note_fields() is not None and index.note_words() is not None
    index.close()
    again = old.build(collection=old.catalog())
    assert again.full_rebuild_reason is None and not again.changed


def test_damaged_stored_fields_are_derived_with_a_warning_and_rewritten_by_the_next_build(
    content_kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "damaged-index"
    shutil.copytree(content_kb.index_folder, target)
    kb = KnowledgeBase(content_kb.root, index=target)
    with sqlite3.connect(target / "index.sqlite") as db:
        generation = int(db.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])
    damaged = gen_dir(target, generation) / derived.FOLDER / "title" / "scores.npy"
    damaged.write_bytes(damaged.read_bytes()[:-7])
    question = _questions("questions.jsonl")[0]
    with caplog.at_level(logging.WARNING, logger="indexer.store.derived"):
        assert kb.ask(question) == content_kb.ask(question)
    assert any("note fields" in r.getMessage() and "papernotes index" in r.getMessage() for r in caplog.records)
    kb.close_index()
    report = kb.build(collection=kb.catalog())
    assert report.full_rebuild_reason and "damaged" in report.full_rebuild_reason and "scores.npy" in report.full_rebuild_reason
    index = StoredIndex(kb.root, kb.spec, kb.index_folder)
    assert index.note_fields() is not None
    index.close()
