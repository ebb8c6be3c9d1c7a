"""Scoring candidate sentences: meaning, word overlap, passage rank and what the question asks for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from indexer.answer.candidates import PASSAGES, Candidate, overlap
from indexer.answer.questions import COMPARISON, METADATA_QUESTION, QUANTITATIVE
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit

if TYPE_CHECKING:
    import numpy as np


def score_candidates(
    question: str,
    candidates: Sequence[Candidate],
    pool: Sequence[Hit],
    query_terms: set[str],
    sentence_vectors: np.ndarray | None,
    query_vector: np.ndarray | None,
) -> list[Candidate]:
    """The candidates with their scores, best first."""
    quantitative = bool(QUANTITATIVE.search(question))
    asks_metadata = bool(METADATA_QUESTION.search(question))
    comparative = bool(COMPARISON.search(question))
    scored: list[Candidate] = []
    for i, candidate in enumerate(candidates):
        hit = pool[candidate.hit_index]
        if sentence_vectors is not None and query_vector is not None:
            semantic = float(sentence_vectors[i] @ query_vector)
        else:  # lexical mode: word overlap stands in for meaning
            semantic = overlap(query_terms, candidate.sentence, hit)
        score = (
            0.55 * semantic
            + 0.10 * overlap(query_terms, candidate.sentence, hit)
            + 0.06 * max(0.0, 1.0 - candidate.hit_index / PASSAGES)
            + 0.10 * hit.dense
            + (0.10 if quantitative and re.search(r"\d", candidate.sentence) else 0.0)
            + (0.08 if comparative and COMPARISON.search(candidate.sentence) else 0.0)
            - (0.10 if is_reference_section(hit.chunk.section) and not asks_metadata else 0.0)
            - (0.10 if len(candidate.sentence) < 40 else 0.0)
        )
        scored.append(Candidate(candidate.sentence, candidate.hit_index, candidate.position, score, candidate.embed_text))
    scored.sort(key=lambda c: -c.score)
    return scored


def is_reference_section(section: str) -> bool:
    """The metadata chunk and link lists: right for "who wrote it?", noise for most questions."""
    head = section.split(" › ")[0].strip().lower()
    return section == ABOUT_SECTION or head in {"sources", "links", "references", "resources", "source"}
