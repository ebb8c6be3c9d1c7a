"""Candidate sentences: every quotable sentence of the best note and of the runners-up, with its context.

A sentence is judged with what a reader sees around it: the heading path it sits under, the
sentence before it, and the note it belongs to (so "They propose ..." is read as "CLIP proposes ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.answer.fragments import is_fragment
from indexer.answer.naming import note_names, resolve_subject
from indexer.lexical import tokenize
from indexer.quotes import chunk_quotes
from indexer.retrieval import Hit, Retriever

if TYPE_CHECKING:
    import numpy as np

PASSAGES = 4
"""How many top passages (from any note) answers are drawn from."""
REST_OF_NOTE = 40
"""At most this many further passages of the best note are searched for the answer (notes are short)."""
SHORTLIST = 32
"""At most this many candidate sentences are scored per question (their vectors are read from the index)."""


@dataclass(frozen=True)
class Candidate:
    """A sentence that may answer, where it sits, and what it is read as."""

    sentence: str
    hit_index: int
    """Index of its passage in the pool (top passages first, then the rest of the best note)."""
    position: int
    """Its place among the quotable sentences of the passage."""
    embed_text: str
    previous: str
    """The sentence before it in the passage ("" for the first)."""
    resolved: str
    """The sentence with a leading "They/It/The paper" replaced by the note's name."""
    names: tuple[str, ...]
    """The names of its note."""
    score: float = 0.0


def gather_pool(top: list[Hit], retriever: Retriever, query_vector: np.ndarray | None, note_id: str | None = None) -> list[Hit]:
    """The top passages, then the other passages of the best note (or `note_id`) in reading order."""
    if not top:
        return []
    note_id = note_id or top[0].chunk.note_id
    seen = {h.chunk.row for h in top}
    rows = [r for r in retriever.index.rows_of_notes([note_id]) if r not in seen][:REST_OF_NOTE]
    if not rows:
        return list(top)
    chunks = retriever.index.chunks(rows)
    if query_vector is not None:
        dense = [float(d) for d in retriever.index.vectors_of(rows) @ query_vector]
    else:
        dense = [0.0] * len(rows)
    named = any(h.named for h in top if h.chunk.note_id == note_id)
    return list(top) + [Hit(c, 0.0, d, 0.0, named) for c, d in zip(chunks, dense, strict=True)]


def candidates_of(pool: Sequence[Hit], retriever: Retriever) -> list[Candidate]:
    """Every quotable sentence of the pool, once, with its previous sentence and resolved subject."""
    found: list[Candidate] = []
    seen: set[str] = set()
    notes = retriever.index.notes
    for index, hit in enumerate(pool):
        note = notes.get(hit.chunk.note_id)
        names = note_names(note) if note is not None else (hit.chunk.title,)
        previous = ""
        for quote in _quotes(hit.chunk):
            key = quote.sentence.lower()
            if is_fragment(quote.sentence, hit.chunk.title):  # a label, a formula's source, the title restated: not a sentence
                continue
            if key not in seen:
                seen.add(key)
                found.append(
                    Candidate(quote.sentence, index, quote.position, quote.embed_text, previous, resolve_subject(quote.sentence, names[0]), names)
                )
            previous = quote.sentence
    return found


@lru_cache(maxsize=16_384)
def _quotes(chunk: object) -> tuple:
    """The quotable sentences of a passage (passages recur across questions)."""
    return tuple(chunk_quotes(chunk))  # type: ignore[arg-type]


def shortlist(candidates: list[Candidate], pool: Sequence[Hit], query_terms: set[str], *, size: int = SHORTLIST) -> list[Candidate]:
    """The `size` candidates most worth scoring, by word overlap (with context), passage rank and score."""
    if len(candidates) <= size:
        return candidates

    def cheap(c: Candidate) -> float:
        hit = pool[c.hit_index]
        return (
            overlap(query_terms, c.resolved)
            + 0.5 * overlap(query_terms, hit.chunk.context)
            + 0.5 * hit.dense
            + (0.3 if c.hit_index < PASSAGES else 0.0)
        )

    keep = sorted(candidates, key=cheap, reverse=True)[:size]
    return sorted(keep, key=lambda c: (c.hit_index, c.position))


def overlap(query_terms: set[str], text: str) -> float:
    """Share of the question's terms found in `text`."""
    if not query_terms:
        return 0.0
    return len(query_terms & terms(text)) / len(query_terms)


@lru_cache(maxsize=65_536)
def terms(text: str) -> frozenset[str]:
    """The BM25 terms of a sentence or heading (passages recur across questions)."""
    return frozenset(tokenize(text))
