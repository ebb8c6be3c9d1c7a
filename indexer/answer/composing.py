"""Composing an answer: the best sentence and close runners-up, in reading order, each cited."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.answer.candidates import Candidate, terms
from indexer.answer.result import Answer, Citation
from indexer.quotes import clean_sentence
from indexer.retrieval import Hit

MAX_SENTENCES = 3
SENTENCE_MARGIN = 0.12
"""Runners-up within this score of the best sentence join the answer."""


def compose(question: str, scored: list[Candidate], pool: Sequence[Hit], confidence: float) -> Answer:
    """The answer quoting the chosen sentences, numbered by passage."""
    chosen = choose(scored)
    numbers: dict[int, int] = {}
    for candidate in chosen:
        numbers.setdefault(candidate.hit_index, len(numbers) + 1)
    quotes: dict[int, list[str]] = {}
    parts: list[str] = []
    for candidate in chosen:
        number = numbers[candidate.hit_index]
        quotes.setdefault(candidate.hit_index, []).append(candidate.sentence)
        parts.append(f"{clean_sentence(candidate.sentence)} [{number}]")
    citations = citations_of([pool[i] for i in sorted(numbers, key=numbers.get)], {numbers[i]: quotes[i] for i in numbers})
    notes = list(dict.fromkeys(c.note for c in citations))
    return Answer(question, " ".join(parts), citations, notes=notes, confidence=confidence)


def choose(scored: list[Candidate]) -> list[Candidate]:
    """The best sentence, plus up to two close runners-up that add something, in reading order."""
    best = scored[0]
    chosen = [best]
    for candidate in scored[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if candidate.score < best.score - SENTENCE_MARGIN:
            break
        if any(similar(candidate.sentence, c.sentence) for c in chosen):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c.hit_index != best.hit_index, c.hit_index, c.position))


def similar(a: str, b: str) -> bool:
    """Whether two sentences share most of their terms (the second adds little)."""
    ta, tb = terms(a), terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > 0.7


def citations_of(hits: Sequence[Hit], quotes: dict[int, list[str]]) -> list[Citation]:
    """Numbered citations of `hits` (from 1), with the sentences quoted from each."""
    citations = []
    for number, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        citations.append(
            Citation(
                number=number,
                note=chunk.note_id,
                title=chunk.title,
                section=chunk.section,
                path=chunk.rel_path,
                lines=(chunk.start_line, chunk.end_line),
                score=hit.score,
                quote=" ".join(quotes.get(number, [])),
                passage=chunk.text,
            )
        )
    return citations
