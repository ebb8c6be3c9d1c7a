"""The shipped evaluation set: the hybrid pipeline must hold its quality bar."""

from __future__ import annotations

from pathlib import Path

from indexer.evaluation import evaluate, evaluate_baseline, load_questions
from indexer.knowledge import KnowledgeBase

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "questions.jsonl"


def test_question_file_shape() -> None:
    questions = load_questions(QUESTIONS)
    assert len([q for q in questions if q.note]) >= 80
    assert len([q for q in questions if q.note is None]) == 12


def test_hybrid_pipeline_holds_the_bar(content_kb: KnowledgeBase) -> None:
    result = evaluate(content_kb, load_questions(QUESTIONS), mode="hybrid")
    misses = [(r.id, r.ranked_notes[:1]) for r in result.failures()]
    assert result.hit_at_1 >= 0.95, misses
    assert result.key_rate >= 0.85, misses
    assert result.refused_unanswerable >= 10
    assert result.false_refusals <= 3


def test_hybrid_retrieval_is_no_worse_than_the_plain_baseline(content_kb: KnowledgeBase) -> None:
    questions = load_questions(QUESTIONS)
    baseline = evaluate_baseline(content_kb, questions)
    system = evaluate(content_kb, questions, mode="hybrid")
    assert baseline.retrieval_only and baseline.answerable == system.answerable
    assert system.hit_at_1 >= baseline.hit_at_1 and system.mrr >= baseline.mrr
