"""The answer pipeline: retrieve, gather candidates, score them, refuse or compose."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from indexer.answer.candidates import PASSAGES, candidates_of, rest_of_best_note, shortlist
from indexer.answer.composing import citations_of, compose
from indexer.answer.questions import is_follow_up
from indexer.answer.refusing import MIN_SENTENCE_SCORE, missing_details, unknown_names
from indexer.answer.result import Answer
from indexer.answer.scoring import score_candidates
from indexer.lexical import tokenize
from indexer.retrieval import Mode, Retriever

logger = logging.getLogger(__name__)


def answer_question(
    question: str,
    retriever: Retriever,
    *,
    mode: Mode = "hybrid",
    scope: Sequence[str] | None = None,
    previous: Answer | None = None,
    threshold: float = MIN_SENTENCE_SCORE,
) -> Answer:
    """Answer `question` from the notes with cited sentences, or refuse when the evidence is weak."""
    question = " ".join(question.split())
    prefer: list[str] = []
    search_text = question
    if previous is not None and previous.notes and is_follow_up(question) and not retriever.named_notes(question):
        prefer = previous.notes[:2]
        search_text = f"{question} ({', '.join(c.title for c in previous.citations[:1])})"
    query_vector = retriever.embed(search_text) if mode != "lexical" else None
    hits = retriever.search(search_text, k=8, mode=mode, scope=scope, prefer=prefer, query_vector=query_vector)
    if not hits:
        return Answer(question, None, [], notes=[])
    top = hits[:PASSAGES]
    pool = top + rest_of_best_note(top, retriever, query_vector)
    query_terms = set(tokenize(question))
    candidates = shortlist(candidates_of(pool), pool, query_terms)
    sentence_vectors = (
        retriever.sentence_vectors([c.embed_text for c in candidates])
        if mode != "lexical" and candidates
        else None
    )
    scored = score_candidates(question, candidates, pool, query_terms, sentence_vectors, query_vector)
    confidence = scored[0].score if scored else 0.0
    unknown = unknown_names(question, retriever) + missing_details(question, top)
    if not scored or confidence < threshold or unknown:
        closest = citations_of(top[:3], {})
        logger.debug("refused %r: confidence %.3f, unknown names %s", question, confidence, unknown)
        return Answer(question, None, [], closest=closest, notes=[], confidence=confidence)
    return compose(question, scored, pool, confidence)
