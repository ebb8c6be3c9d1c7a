"""Extractive answers: the sentences that answer a question, each cited, or an honest refusal."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from indexer.chunking import ABOUT_SECTION
from indexer.lexical import tokenize
from indexer.quotes import chunk_quotes, clean_sentence
from indexer.retrieval import Hit, Mode, Retriever

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

REFUSAL = "Not in your notes."
PASSAGES = 4
"""How many top passages answers are drawn from."""
MIN_SENTENCE_SCORE = 0.25
"""Below this (calibrated on tests/eval/questions.jsonl, see docs/EVALUATION.md) the answer is a refusal."""
MAX_SENTENCES = 3
REST_OF_NOTE = 12
"""At most this many further passages of the best note are searched for the answer."""
SHORTLIST = 32
"""At most this many candidate sentences are scored per question."""
SENTENCE_MARGIN = 0.12
"""Runners-up within this score of the best sentence join the answer."""
_QUANTITATIVE = re.compile(
    r"\b(how (many|much|long|fast|big|large|small|quick)|what (accuracy|fraction|share|score|speed|percentage|size)|"
    r"m?AP|mIoU|accuracy|parameters?|fps|latency|speed|faster|slower|smaller|percent)\b",
    re.IGNORECASE,
)
_COMPARISON = re.compile(
    r"\b(best|better|worse|worst|beats?|outperforms?|wins?|higher|lower|most|least|faster|slower|"
    r"stronger|weaker|compared?|versus|vs\.?)\b",
    re.IGNORECASE,
)
_METADATA_QUESTION = re.compile(r"\b(who|authors?|wrote|written|link|code|github|repo|repository|year|published|when|demo|arxiv|source|tweet)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|so|then)\b|\b(it|its|it's|they|them|their|this|that|these|those|the model|the paper|the method)\b",
    re.IGNORECASE,
)


@dataclass
class Citation:
    """A cited passage: where it is, how well it matched, and the exact text behind the answer."""

    number: int
    note: str
    title: str
    section: str
    path: str
    lines: tuple[int, int]
    score: float
    quote: str
    passage: str

    @property
    def where(self) -> str:
        """`Title › Section (path:start-end)` for display."""
        trail = f"{self.title} › {self.section}" if self.section else self.title
        return f"{trail} ({self.path}:{self.lines[0]}-{self.lines[1]})"

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the CLI's `--json` output."""
        data = asdict(self)
        data["lines"] = list(self.lines)
        data["score"] = round(self.score, 4)
        return data


@dataclass
class Answer:
    """An answer with citations; `text` is None when the notes don't answer the question."""

    question: str
    text: str | None
    citations: list[Citation]
    closest: list[Citation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def refused(self) -> bool:
        """True when the notes don't answer the question."""
        return self.text is None

    def to_json(self) -> dict[str, Any]:
        """`{"question", "answer", "citations": [...]}` (plus closest passages on a refusal)."""
        return {
            "question": self.question,
            "answer": self.text,
            "citations": [c.to_json() for c in (self.citations or self.closest)],
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class _Candidate:
    sentence: str
    hit_index: int
    position: int
    score: float
    embed_text: str


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the previous turn ("how fast is it?")."""
    return bool(_FOLLOW_UP.search(question))


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
    pool = top + _rest_of_best_note(top, retriever, query_vector)
    query_terms = set(tokenize(question))
    candidates = _shortlist(_candidates(pool), pool, query_terms)
    quantitative = bool(_QUANTITATIVE.search(question))
    asks_metadata = bool(_METADATA_QUESTION.search(question))
    comparative = bool(_COMPARISON.search(question))
    sentence_vectors = (
        retriever.sentence_vectors([c.embed_text for c in candidates])
        if mode != "lexical" and candidates
        else None
    )
    scored: list[_Candidate] = []
    for i, candidate in enumerate(candidates):
        hit = pool[candidate.hit_index]
        if sentence_vectors is not None and query_vector is not None:
            semantic = float(sentence_vectors[i] @ query_vector)
        else:  # lexical mode: word overlap stands in for meaning
            semantic = _overlap(query_terms, candidate.sentence, hit)
        score = (
            0.55 * semantic
            + 0.10 * _overlap(query_terms, candidate.sentence, hit)
            + 0.06 * max(0.0, 1.0 - candidate.hit_index / PASSAGES)
            + 0.10 * hit.dense
            + (0.10 if quantitative and re.search(r"\d", candidate.sentence) else 0.0)
            + (0.08 if comparative and _COMPARISON.search(candidate.sentence) else 0.0)
            - (0.10 if _is_reference_section(hit.chunk.section) and not asks_metadata else 0.0)
            - (0.10 if len(candidate.sentence) < 40 else 0.0)
        )
        scored.append(_Candidate(candidate.sentence, candidate.hit_index, candidate.position, score, candidate.embed_text))
    scored.sort(key=lambda c: -c.score)
    confidence = scored[0].score if scored else 0.0
    unknown = _unknown_names(question, retriever) + _missing_details(question, top)
    if not scored or confidence < threshold or unknown:
        closest = _citations(top[:3], {})
        logger.debug("refused %r: confidence %.3f, unknown names %s", question, confidence, unknown)
        return Answer(question, None, [], closest=closest, notes=[], confidence=confidence)
    chosen = _choose(scored)
    numbers: dict[int, int] = {}
    for candidate in chosen:
        numbers.setdefault(candidate.hit_index, len(numbers) + 1)
    quotes: dict[int, list[str]] = {}
    parts: list[str] = []
    for candidate in chosen:
        number = numbers[candidate.hit_index]
        quotes.setdefault(candidate.hit_index, []).append(candidate.sentence)
        parts.append(f"{clean_sentence(candidate.sentence)} [{number}]")
    citations = _citations([pool[i] for i in sorted(numbers, key=numbers.get)], {numbers[i]: quotes[i] for i in numbers})
    notes = list(dict.fromkeys(c.note for c in citations))
    return Answer(question, " ".join(parts), citations, notes=notes, confidence=confidence)


def _is_reference_section(section: str) -> bool:
    """The metadata chunk and link lists: right for "who wrote it?", noise for most questions."""
    head = section.split(" › ")[0].strip().lower()
    return section == ABOUT_SECTION or head in {"sources", "links", "references", "resources", "source"}


def _rest_of_best_note(top: list[Hit], retriever: Retriever, query_vector: np.ndarray | None) -> list[Hit]:
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


def _shortlist(candidates: list[_Candidate], pool: Sequence[Hit], query_terms: set[str]) -> list[_Candidate]:
    """The SHORTLIST candidates most worth embedding, by word overlap, passage rank and passage score."""
    if len(candidates) <= SHORTLIST:
        return candidates

    def cheap(c: _Candidate) -> float:
        hit = pool[c.hit_index]
        return _overlap(query_terms, c.sentence, hit) + 0.5 * hit.dense + (0.3 if c.hit_index < PASSAGES else 0.0)

    keep = sorted(candidates, key=cheap, reverse=True)[:SHORTLIST]
    return sorted(keep, key=lambda c: (c.hit_index, c.position))


def _candidates(hits: Sequence[Hit]) -> list[_Candidate]:
    found: list[_Candidate] = []
    seen: set[str] = set()
    for index, hit in enumerate(hits):
        for quote in chunk_quotes(hit.chunk):
            key = quote.sentence.lower()
            if key in seen:
                continue
            seen.add(key)
            found.append(_Candidate(quote.sentence, index, quote.position, 0.0, quote.embed_text))
    return found


def _overlap(query_terms: set[str], sentence: str, hit: Hit) -> float:
    """Share of the question's terms found in the sentence or its section heading."""
    if not query_terms:
        return 0.0
    found = query_terms & (_terms(sentence) | _terms(hit.chunk.context))
    return len(found) / len(query_terms)


@lru_cache(maxsize=65_536)
def _terms(text: str) -> frozenset[str]:
    """The BM25 terms of a sentence or heading (passages recur across questions)."""
    return frozenset(tokenize(text))


def _choose(scored: list[_Candidate]) -> list[_Candidate]:
    """The best sentence, plus up to two close runners-up that add something, in reading order."""
    best = scored[0]
    chosen = [best]
    for candidate in scored[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if candidate.score < best.score - SENTENCE_MARGIN:
            break
        if any(_similar(candidate.sentence, c.sentence) for c in chosen):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: (c.hit_index != best.hit_index, c.hit_index, c.position))


def _similar(a: str, b: str) -> bool:
    ta, tb = _terms(a), _terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > 0.7


_NAME = re.compile(
    r"\b[A-Za-z]+\d[\w-]*|\b[A-Z][a-z]*[A-Z][\w-]*|(?<=\w )[A-Z][a-z]{2,}(?:-[A-Z]\w*)?\b"
)
_NAME_NUMBER = re.compile(r"\b([A-Z][A-Za-z]+(?:-[A-Z]+)?) (\d+(?:\.\d+)?)\b(?!\s*(?:%|ms|fps|mb|gb|m\b|b\b|k\b|x\b|times|images|masks|epochs|gpus?))", re.IGNORECASE)


_DESCRIPTIVE_SUFFIX = re.compile(r"-(based|style|like|sized|free|only|level|wise|aware|friendly|scale)$", re.IGNORECASE)
DETAIL_TERMS = (
    "learning rate", "batch size", "weight decay", "optimizer", "optimiser", "momentum", "warmup",
    "warm-up", "dropout", "license", "licence", "random seed",
)
"""Details summaries rarely record: asked for and absent from the passages, the answer is a refusal."""


def _missing_details(question: str, hits: Sequence[Hit]) -> list[str]:
    """Detail terms (hyperparameters, licences) the question asks for that no top passage mentions."""
    asked = [term for term in DETAIL_TERMS if term in question.lower()]
    text = " ".join(h.chunk.text.lower() for h in hits)
    return [term for term in asked if term not in text]


def _unknown_names(question: str, retriever: Retriever) -> list[str]:
    """Names in the question (model names, acronyms, capitalised words) that no note contains."""
    lexical = retriever.index.lexical
    unknown: list[str] = []
    for match in _NAME.finditer(question):
        word = _DESCRIPTIVE_SUFFIX.sub("", match.group(0).strip("-"))
        compact = re.sub(r"[^a-z0-9]", "", word.lower())
        terms = tokenize(word)
        if not terms or len(compact) < 2:
            continue
        if lexical.knows(compact) or (len(terms) == 1 and lexical.knows(terms[0])):
            continue
        unknown.append(word)
    for match in _NAME_NUMBER.finditer(question):
        name, number = match.group(1), match.group(2)
        if name[0].isupper() and not retriever.index.mentions(f"{name} {number}"):
            unknown.append(f"{name} {number}")
    return unknown


def _citations(hits: Sequence[Hit], quotes: dict[int, list[str]]) -> list[Citation]:
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
