"""The optional reranker: a real (tiny, randomly initialised) cross-encoder re-orders real hits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.embedding import resolve_model
from indexer.errors import ModelError
from indexer.knowledge import KnowledgeBase
from indexer.rerank import Reranker


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import BertConfig, BertForSequenceClassification

    folder = tmp_path_factory.mktemp("cross-encoder")
    packaged = resolve_model(None).path
    config = BertConfig(
        vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=512, num_labels=1,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy2(packaged / name, folder / name)
    return folder


def test_reranker_reorders_hits_by_its_own_scores(content_kb: KnowledgeBase, tiny_cross_encoder: Path) -> None:
    reranker = Reranker(str(tiny_cross_encoder))
    hits = content_kb.retriever().search("which distillation worked best for MobileSAM?", k=10)
    reranked = reranker.rerank("which distillation worked best for MobileSAM?", hits)
    assert {h.chunk.row for h in reranked} == {h.chunk.row for h in hits}
    scores = [h.score for h in reranked]
    assert scores == sorted(scores, reverse=True)


def test_knowledge_base_answers_with_a_reranker(content_kb: KnowledgeBase, tiny_cross_encoder: Path) -> None:
    kb = KnowledgeBase(content_kb.root, reranker=str(tiny_cross_encoder))
    answer = kb.ask("How many parameters does MobileSAM's image encoder have?")
    assert answer.citations or answer.refused


def test_missing_reranker_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="never downloads"):
        Reranker("no/such-cross-encoder")
