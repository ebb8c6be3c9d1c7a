"""Candidate sentences: the quotable sentences of the top passages and the rest of the best note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.lexical import tokenize
from indexer.quotes import chunk_quotes
from indexer.retrieval import Hit, Retriever

if TYPE_CHECKING:
    import numpy as np

PASSAGES = 4
"""How many top passages answers are drawn from."""
REST_OF_NOTE = 12
"""At most this many further passages of the best note are searched for the answer."""
SHORTLIST = 32
"""At most this many candidate sentences are scored per question."""


@dataclass(frozen=True)
class Candidate:
    """A sentence that may answer: its passage (index into the pool), place in it, score and embed text."""

    sentence: str
    hit_index: int
    position: int
    score: float
    embed_text: str


def rest_of_best_note(top: list[Hit], retriever: Retriever, query_vector: np.ndarray | None) -> list[Hit]:
    """The other passages of the best note: an answer often sits one section away from the best hit."""
    if not top or query_vector is None:
        return []
    note_id = top[0].chunk.note_id
    seen = {h.chunk.row for h in top}
    rows = [r for r in retriever.index.rows_of_notes([note_id]) if r not in seen][:REST_OF_NOTE]
    if not rows:
        return []
    dense = retriever.index.vectors_of(rows) @ query_vector
    chunks = retriever.index.chunks(rows)
    return [Hit(c, 0.0, float(d), 0.0, top[0].named) for c, d in zip(chunks, dense, strict=True)]


def shortlist(candidates: list[Candidate], pool: Sequence[Hit], query_terms: set[str]) -> list[Candidate]:
    """The SHORTLIST candidates most worth embedding, by word overlap, passage rank and passage score."""
    if len(candidates) <= SHORTLIST:
        return candidates

    def cheap(c: Candidate) -> float:
        hit = pool[c.hit_index]
        return overlap(query_terms, c.sentence, hit) + 0.5 * hit.dense + (0.3 if c.hit_index < PASSAGES else 0.0)

    keep = sorted(candidates, key=cheap, reverse=True)[:SHORTLIST]
    return sorted(keep, key=lambda c: (c.hit_index, c.position))


def candidates_of(hits: Sequence[Hit]) -> list[Candidate]:
    """Every quotable sentence of `hits`, once, in pool order."""
    found: list[Candidate] = []
    seen: set[str] = set()
    for index, hit in enumerate(hits):
        for quote in chunk_quotes(hit.chunk):
            key = quote.sentence.lower()
            if key in seen:
                continue
            seen.add(key)
            found.append(Candidate(quote.sentence, index, quote.position, 0.0, quote.embed_text))
    return found


def overlap(query_terms: set[str], sentence: str, hit: Hit) -> float:
    """Share of the question's terms found in the sentence or its section heading."""
    if not query_terms:
        return 0.0
    found = query_terms & (terms(sentence) | terms(hit.chunk.context))
    return len(found) / len(query_terms)


@lru_cache(maxsize=65_536)
def terms(text: str) -> frozenset[str]:
    """The BM25 terms of a sentence or heading (passages recur across questions)."""
    return frozenset(tokenize(text))
