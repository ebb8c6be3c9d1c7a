"""Quotable sentences: embedded once at build time, so answers score them without calling the model."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from indexer.answer import answer_question
from indexer.embedding import Encoder, Progress
from indexer.knowledge import KnowledgeBase
from indexer.quotes import chunk_quotes, quote_embed_text, quotes_of
from indexer.retrieval import Retriever
from indexer.store import DB_NAME, StoredIndex, index_dir
from tests.conftest import CONTENT


class CountingEncoder:
    """The real encoder, counting the texts it is asked to embed at question time."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.dimension = inner.dimension
        self.query_texts: list[str] = []

    def encode_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self.inner.encode_documents(texts, progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_texts.extend(texts)
        return self.inner.encode_queries(texts)


@pytest.fixture(scope="module")
def quote_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("quotes")
    for name in ("mobilesam.md", "efficientsam.md"):
        shutil.copy2(CONTENT / name, root / name)
    kb = KnowledgeBase(root)
    report = kb.build()
    assert report.sentences_embedded > report.chunks_embedded > 0
    return kb


def all_chunks(index: StoredIndex) -> list:
    return index.chunks(list(range(index.size)))


def test_quotes_skip_fragments_and_carry_their_heading() -> None:
    quotes = quotes_of("- Short.\n- MobileSAM distils the image encoder of SAM into TinyViT", "Method › Distillation")
    assert [q.sentence for q in quotes] == ["- MobileSAM distils the image encoder of SAM into TinyViT"]
    assert quotes[0].embed_text == "Distillation: MobileSAM distils the image encoder of SAM into TinyViT."
    assert quote_embed_text("Written by the SAM team.", "About") == "Written by the SAM team."


def test_every_quotable_sentence_has_a_stored_vector_equal_to_embedding_it(quote_kb: KnowledgeBase) -> None:
    index = StoredIndex(quote_kb.root, quote_kb.spec)
    try:
        quotes = [q for chunk in all_chunks(index) for q in chunk_quotes(chunk)]
        stored = index.sentence_vectors([q.hash for q in quotes])
        assert len(stored) == len({q.hash for q in quotes}) > 50
        sample = quotes[:: max(1, len(quotes) // 12)]
        fresh = quote_kb.encoder().encode_queries([q.embed_text for q in sample])
        for quote, vector in zip(sample, fresh, strict=True):
            assert float(stored[quote.hash] @ vector) > 0.999
    finally:
        index.close()


def test_answers_embed_only_the_question(quote_kb: KnowledgeBase) -> None:
    index = StoredIndex(quote_kb.root, quote_kb.spec)
    try:
        counting = CountingEncoder(quote_kb.encoder())
        retriever = Retriever(index, counting)
        answer = answer_question("Which distillation worked best for MobileSAM?", retriever)
        assert not answer.refused
        assert counting.query_texts == ["Which distillation worked best for MobileSAM?"]
    finally:
        index.close()


@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE sentence_vectors", "UPDATE sentence_vectors SET vector = substr(vector, 1, 7)"],
    ids=["missing table", "truncated vectors"],
)
def test_an_index_without_usable_sentence_vectors_gives_the_same_answers(
    quote_kb: KnowledgeBase, tmp_path: Path, damage: str
) -> None:
    copy = tmp_path / "notes"
    shutil.copytree(quote_kb.root, copy)
    with sqlite3.connect(index_dir(copy) / DB_NAME) as connection:
        connection.execute(damage)
    questions = ["How much faster is MobileSAM than SAM?", "What does EfficientSAM pretrain with?"]
    old = KnowledgeBase(copy)
    for question in questions:
        assert old.ask(question).text == quote_kb.ask(question).text
    old.close_index()


def test_edits_embed_only_new_sentences_and_drop_stale_ones(quote_kb: KnowledgeBase) -> None:
    assert quote_kb.build().sentences_embedded == 0
    path = quote_kb.root / "mobilesam.md"
    original = path.read_text()
    try:
        path.write_text(original + "\n## Aside\n\nA lone sentence about okapi segmentation appears here.\n")
        report = quote_kb.build()
        assert report.sentences_embedded == 1
        answer = quote_kb.ask("Which note mentions okapi segmentation?")
        assert "okapi" in (answer.text or "")
    finally:
        path.write_text(original)
    assert quote_kb.build().sentences_embedded == 0
    with sqlite3.connect(index_dir(quote_kb.root) / DB_NAME) as connection:
        texts = [row[0] for row in connection.execute("SELECT COUNT(*) FROM sentence_vectors")]
    index = StoredIndex(quote_kb.root, quote_kb.spec)
    try:
        live = {q.hash for chunk in all_chunks(index) for q in chunk_quotes(chunk)}
    finally:
        index.close()
    assert texts == [len(live)]


def test_the_next_index_run_repairs_damaged_sentence_vectors(quote_kb: KnowledgeBase, tmp_path: Path) -> None:
    copy = tmp_path / "notes"
    shutil.copytree(quote_kb.root, copy)
    with sqlite3.connect(index_dir(copy) / DB_NAME) as connection:
        total = connection.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]
        connection.execute("UPDATE sentence_vectors SET vector = x'00' WHERE rowid % 3 = 0")
        connection.execute("DELETE FROM sentence_vectors WHERE rowid % 3 = 1")
    kb = KnowledgeBase(copy)
    report = kb.build()
    assert report.changed and "sentence vectors" in (report.full_rebuild_reason or "")
    assert report.chunks_embedded == 0 and 0 < report.sentences_embedded < total
    assert not kb.build().changed
    index = StoredIndex(copy, kb.spec)
    try:
        counting = CountingEncoder(kb.encoder())
        answer_question("Which distillation worked best for MobileSAM?", Retriever(index, counting))
        assert len(counting.query_texts) == 1
    finally:
        index.close()
