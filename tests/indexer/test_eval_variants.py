"""Answers hold up when questions are typed differently: framing, lower case, no question mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.eval_variants import VARIANTS, evaluate_variants, variant_questions
from indexer.evaluation import Question, load_questions
from indexer.knowledge import KnowledgeBase

EVAL = Path(__file__).resolve().parents[1] / "eval"


def test_variants_change_only_how_the_question_is_typed() -> None:
    questions = [Question("q1", "What does CLIP use as similarity?", "clip", ("cosine",)), Question("q2", "Which two tasks?", None, ())]
    typed = {variant: [q.question for q in variant_questions(questions, variant)] for variant in VARIANTS}
    assert typed["prefix"] == ["quick: what does CLIP use as similarity?", "Hey, which two tasks?"]
    assert typed["suffix"] == ["What does CLIP use as similarity? thanks", "Which two tasks?, in one line"]
    assert typed["lower-case"][0] == "what does clip use as similarity?"
    assert typed["no question mark"] == ["What does CLIP use as similarity", "Which two tasks"]
    assert all(v.id == q.id and v.note == q.note and v.keys == q.keys for v in variant_questions(questions, "prefix") for q in questions if q.id == v.id)


@pytest.mark.parametrize(("kb_fixture", "questions_file"), [("content_kb", "questions.jsonl"), ("papers_we_read_kb", "papers_we_read.jsonl")])
def test_variants_refuse_no_more_answerable_questions_than_the_originals(request: pytest.FixtureRequest, kb_fixture: str, questions_file: str) -> None:
    kb: KnowledgeBase = request.getfixturevalue(kb_fixture)
    results = evaluate_variants(kb, load_questions(EVAL / questions_file))
    (_, original), *variants = results
    for variant, result in variants:
        refused = [r.id for r in result.results if r.expected and r.answer is None]
        assert result.false_refusals <= original.false_refusals, (variant, refused)
        assert result.key_rate >= original.key_rate - 0.03, (variant, [r.id for r in result.failures()])
