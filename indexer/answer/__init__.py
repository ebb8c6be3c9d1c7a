"""Extractive answers: the sentences that answer a question, each cited, or an honest refusal.

Read the package in order: `questions` (what is asked), `candidates` (which sentences may answer),
`scoring` (how well each does), `composing` (the answer text and citations), `refusing` (when the
notes don't say); `pipeline` runs them and `result` holds what comes out.
"""

from __future__ import annotations

from indexer.answer.pipeline import answer_question
from indexer.answer.questions import is_follow_up
from indexer.answer.refusing import MIN_SENTENCE_SCORE
from indexer.answer.result import REFUSAL, Answer, Citation

__all__ = ["MIN_SENTENCE_SCORE", "REFUSAL", "Answer", "Citation", "answer_question", "is_follow_up"]
