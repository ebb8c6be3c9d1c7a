"""Scoring retrieval and answers against a question file (hit@k, MRR, keys, refusals, latency)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer.answer import answer_question
from indexer.errors import PapernotesError
from indexer.knowledge import KnowledgeBase
from indexer.retrieval import Mode

MODE_LABELS = {"dense": "dense only", "lexical": "BM25 only", "hybrid": "hybrid", "baseline": "baseline: 200-word windows, RRF"}


@dataclass(frozen=True)
class Question:
    """One line of a question file; `note` is None for questions the notes can't answer."""

    id: str
    question: str
    note: str | None
    keys: tuple[str, ...]


@dataclass
class QuestionResult:
    """How one question went."""

    id: str
    expected: str | None
    ranked_notes: list[str]
    answer: str | None
    has_keys: bool
    seconds: float


@dataclass
class EvalResult:
    """Scores of one retrieval mode over a question file."""

    mode: str
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    key_rate: float
    refused_unanswerable: int
    false_refusals: int
    latency_p50_ms: float
    latency_p95_ms: float
    results: list[QuestionResult] = field(default_factory=list)
    retrieval_only: bool = False
    """True for the baseline, which ranks notes and gives no answers."""

    def to_json(self) -> dict[str, Any]:
        """All scores plus per-question results."""
        return asdict(self)

    def failures(self) -> list[QuestionResult]:
        """Answerable questions whose first note was wrong or whose answer missed a key."""
        return [
            r for r in self.results
            if r.expected and (not r.ranked_notes or r.ranked_notes[0] != r.expected or not (r.has_keys or self.retrieval_only))
        ]


def load_questions(path: Path) -> list[Question]:
    """Read a JSON Lines question file; a bad line is a PapernotesError naming it."""
    questions: list[Question] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise PapernotesError(f"cannot read question file {path}: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            questions.append(
                Question(
                    id=str(data.get("id", number)),
                    question=str(data["question"]),
                    note=data.get("note") or None,
                    keys=tuple(str(k) for k in data.get("keys", []) or []),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PapernotesError(f"{path}:{number}: not a question object ({error})") from error
    return questions


def _note_resolver(kb: KnowledgeBase) -> Callable[[str], str]:
    """Maps a question's `note` (id, path or title) to the note id in the index."""
    collection_notes = list(kb.retriever().index.notes.values())

    def resolve(key: str) -> str:
        lowered = key.lower().removesuffix(".md")
        for note in collection_notes:
            if lowered in (note.id.lower(), note.rel_path.lower().removesuffix(".md"), note.title.lower()):
                return note.id
        raise PapernotesError(
            f"question file names note {key!r}, which is not in the index",
            "for questions about another collection, pass --collection DIR",
        )

    return resolve


def evaluate(kb: KnowledgeBase, questions: Sequence[Question], *, mode: Mode = "hybrid") -> EvalResult:
    """Ask every question in `mode` and score the notes ranked and the answers given."""
    retriever = kb.retriever()
    resolve = _note_resolver(kb)
    results: list[QuestionResult] = []
    for question in questions:
        expected = resolve(question.note) if question.note else None
        started = time.perf_counter()
        answer = answer_question(question.question, retriever, mode=mode)
        seconds = time.perf_counter() - started
        hits = retriever.search(question.question, k=10, mode=mode)
        ranked = list(dict.fromkeys(h.chunk.note_id for h in hits))
        text = (answer.text or "").lower()
        has_keys = bool(answer.text) and all(k.lower() in text for k in question.keys)
        results.append(QuestionResult(question.id, expected, ranked, answer.text, has_keys, seconds))
    return _scores(mode, results, retrieval_only=False)


def evaluate_baseline(kb: KnowledgeBase, questions: Sequence[Question]) -> EvalResult:
    """Rank notes with the plain baseline (indexer.baseline) over the same notes: retrieval scores only."""
    from indexer.baseline import BaselineRetriever

    resolve = _note_resolver(kb)
    baseline = BaselineRetriever(kb.notes().notes, kb.encoder())
    results: list[QuestionResult] = []
    for question in questions:
        expected = resolve(question.note) if question.note else None
        started = time.perf_counter()
        ranked = baseline.rank_notes(question.question)
        results.append(QuestionResult(question.id, expected, ranked, None, False, time.perf_counter() - started))
    return _scores("baseline", results, retrieval_only=True)


def _scores(mode: str, results: list[QuestionResult], *, retrieval_only: bool) -> EvalResult:
    answerable = [r for r in results if r.expected]
    unanswerable = [r for r in results if not r.expected]

    def rank(r: QuestionResult) -> int | None:
        return r.ranked_notes.index(r.expected) + 1 if r.expected in r.ranked_notes else None

    ranks = [rank(r) for r in answerable]
    times = sorted(r.seconds * 1000 for r in results) or [0.0]
    n = max(1, len(answerable))
    return EvalResult(
        mode=mode,
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=sum(1 for k in ranks if k == 1) / n,
        hit_at_3=sum(1 for k in ranks if k is not None and k <= 3) / n,
        mrr=sum(1.0 / k for k in ranks if k) / n,
        key_rate=0.0 if retrieval_only else sum(1 for r in answerable if r.has_keys) / n,
        refused_unanswerable=0 if retrieval_only else sum(1 for r in unanswerable if r.answer is None),
        false_refusals=0 if retrieval_only else sum(1 for r in answerable if r.answer is None),
        latency_p50_ms=statistics.median(times),
        latency_p95_ms=times[min(len(times) - 1, int(0.95 * len(times)))],
        results=results,
        retrieval_only=retrieval_only,
    )


def format_table(results: Sequence[EvalResult]) -> str:
    """A Markdown table of the scores, one row per mode."""
    lines = [
        "| mode | hit@1 | hit@3 | MRR | answer has key | unanswerable refused | false refusals | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        answers = (
            "— | — | —" if r.retrieval_only
            else f"{r.key_rate:.3f} | {r.refused_unanswerable} / {r.unanswerable} | {r.false_refusals} / {r.answerable}"
        )
        lines.append(
            f"| {MODE_LABELS.get(r.mode, r.mode)} | {r.hit_at_1:.3f} | {r.hit_at_3:.3f} | {r.mrr:.3f} | "
            f"{answers} | {r.latency_p50_ms:.0f} | {r.latency_p95_ms:.0f} |"
        )
    return "\n".join(lines)
