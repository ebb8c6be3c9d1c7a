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


def assert_answer_bar(kb: KnowledgeBase, questions_path: Path, *, hit_at_1: float) -> None:
    """The answer side's bar (issue 11): facts held, unanswerables refused, answerables not refused."""
    result = evaluate(kb, load_questions(questions_path), mode="hybrid")
    misses = [(r.id, r.ranked_notes[:1], (r.answer or "REFUSED")[:80]) for r in result.failures()]
    assert result.hit_at_1 >= hit_at_1, misses
    assert result.key_rate >= 0.85, misses
    assert result.refused_unanswerable >= 0.9 * result.unanswerable, [r.id for r in result.results if not r.expected and r.answer]
    assert result.false_refusals <= 0.03 * result.answerable, [r.id for r in result.results if r.expected and r.answer is None]


def test_hybrid_pipeline_holds_the_bar(content_kb: KnowledgeBase) -> None:
    assert_answer_bar(content_kb, QUESTIONS, hit_at_1=0.97)


def test_hybrid_pipeline_holds_the_bar_on_notes_nobody_here_wrote(papers_we_read_kb: KnowledgeBase) -> None:
    assert_answer_bar(papers_we_read_kb, QUESTIONS.with_name("papers_we_read.jsonl"), hit_at_1=0.97)


def test_hybrid_retrieval_is_no_worse_than_the_plain_baseline(content_kb: KnowledgeBase) -> None:
    questions = load_questions(QUESTIONS)
    baseline = evaluate_baseline(content_kb, questions)
    system = evaluate(content_kb, questions, mode="hybrid")
    assert baseline.retrieval_only and baseline.answerable == system.answerable
    assert system.hit_at_1 >= baseline.hit_at_1 and system.mrr >= baseline.mrr
