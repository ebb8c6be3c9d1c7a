"""Extractive answers: the sentences that answer a question, each cited, or an honest refusal.

Read the package in order: `questions` (what is asked: name, metadata, quantity, list, comparison,
explanation), `candidates` (every sentence of the best note and the runners-up, with its context),
`features` and `scoring` (a logistic regression over what a reader would weigh; coefficients in
`weights`), `composing` (the answer text by question type, `metadata` for authors/links/years),
`refusing` (unknown names, figures or details the note doesn't give); `naming` knows what a note is
called, `pipeline` runs the steps and `result` holds what comes out. See docs/ANSWERS.md.

The public names are imported on first use, so `Answer` and `Citation` (the app's messages and
widgets) come without the pipeline's modules (~85 ms of the app's start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.lazy import lazy_names

_HOMES = {
    "answer_question": "pipeline",
    "is_follow_up": "questions",
    "MIN_MEANING": "refusing",
    "REFUSAL": "result",
    "Answer": "result",
    "Citation": "result",
}
"""Which module holds each public name."""


__getattr__ = lazy_names(__name__, _HOMES)


if TYPE_CHECKING:
    from indexer.answer.pipeline import answer_question
    from indexer.answer.questions import is_follow_up
    from indexer.answer.refusing import MIN_MEANING
    from indexer.answer.result import REFUSAL, Answer, Citation

__all__ = ["MIN_MEANING", "REFUSAL", "Answer", "Citation", "answer_question", "is_follow_up"]
