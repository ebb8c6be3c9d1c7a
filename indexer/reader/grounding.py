"""Grounding generated answers: every sentence must be supported by the passage it cites, else the extractive answer stands."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from indexer.answer import Answer, Citation
from indexer.errors import ModelError
from indexer.lexical import tokenize
from indexer.reader.models import GenerativeReader, TokenCallback
from indexer.reader.prompt import MAX_PASSAGES
from indexer.sentences import split_sentences

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

MIN_SUPPORT = 0.6
"""Share of a generated sentence's content words that must appear in its passage for it to be kept."""


@dataclass(frozen=True)
class DroppedSentence:
    """A generated sentence left out of the answer, and why."""

    sentence: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """`{"sentence", "reason"}`."""
        return {"sentence": self.sentence, "reason": self.reason}


@dataclass
class ReaderResult:
    """What the generative mode produced: the checked answer and everything that was left out."""

    answer: Answer
    """The grounded answer, or the extractive one unchanged when nothing generated survived."""
    generated_text: str | None
    """The model's raw output (None when nothing was generated)."""
    dropped_sentences: list[DroppedSentence] = field(default_factory=list)
    fell_back: bool = False
    """True when `answer` is the extractive answer because the generated one was not supported."""
    reason: str | None = None
    """Why it fell back (or why nothing was generated)."""
    tokens: int = 0
    """Tokens generated."""
    seconds: float = 0.0
    """Time spent generating, prompt included."""

    @property
    def mode(self) -> str:
        """"generative" when the answer was written by the model, else "extractive"."""
        return "extractive" if self.fell_back or self.generated_text is None else "generative"

    def to_json(self) -> dict[str, Any]:
        """The `"reader"` object of the CLI's `--json` output."""
        return {
            "mode": self.mode,
            "generated": self.generated_text,
            "dropped": [d.to_json() for d in self.dropped_sentences],
            "fell_back": self.fell_back,
            "reason": self.reason,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
        }



# ----------------------------------------------------------------------------------------------
# Checking what was generated

_MARKERS = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^\s*(?:\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]\s*)+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_FILLER = frozenset({
    "answer", "question", "passage", "case", "approximately", "roughly", "around", "having",
    "thousand", "million", "billion",  # "5.78 million" for "5.78M": the number itself is still checked
})
"""Words that carry no fact of their own: a sentence is not judged on them."""
_WORDS = re.compile(r"[A-Za-z0-9][\w-]*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "ly", "s")


def check_sentences(
    text: str, citations: Sequence[Citation], *, question: str = "", min_support: float = MIN_SUPPORT
) -> tuple[list[str], list[DroppedSentence]]:
    """Split generated text into sentences and keep those its passages support.

    A sentence is kept when it cites valid passages (or, uncited, overlaps one best) and one sentence
    of them contains every number in it and at least `min_support` of its content words, both of all
    of them and of those it does not take from `question` (echoing the question proves nothing). Kept
    sentences come back as `Sentence. [n]`; the rest with the reason they were dropped.
    """
    by_number = {c.number: c for c in citations}
    kept: list[str] = []
    dropped: list[DroppedSentence] = []
    for sentence in _sentences(text):
        cited = [int(n) for group in _MARKERS.findall(sentence) for n in re.split(r"[,;]", group)]
        body = " ".join(_MARKERS.sub(" ", sentence).split())
        body = re.sub(r"\s+([.,;:!?])", r"\1", body).strip()
        if not tokenize(body):
            if body:
                dropped.append(DroppedSentence(sentence, "no content"))
            continue
        invalid = sorted({n for n in cited if n not in by_number})
        if invalid:
            dropped.append(DroppedSentence(sentence, f"cites [{', '.join(map(str, invalid))}], which is not a passage"))
            continue
        numbers = list(dict.fromkeys(cited)) or _best_passage(body, citations)
        if not numbers:
            dropped.append(DroppedSentence(sentence, "no passage shares its words"))
            continue
        reason = _unsupported_by_any(body, [by_number[n] for n in numbers], question, min_support)
        if reason:
            dropped.append(DroppedSentence(sentence, reason))
            continue
        body = body if body.endswith((".", "!", "?", ":", ")")) else body + "."
        kept.append(f"{body} {''.join(f'[{n}]' for n in numbers)}")
    return kept, dropped


def unsupported_reason(
    sentence: str, evidence: str, *, question: str = "", min_support: float = MIN_SUPPORT
) -> str | None:
    """Why `evidence` does not support `sentence` (too short, a missing number, too few shared words), or None."""
    terms = {t for t in tokenize(sentence) if t not in _FILLER}
    if not terms:
        return "no content"
    if len(terms) < 2 or all(_NUMBER.fullmatch(t) for t in terms):
        return "too short to check"  # "The answer is: 1." ties its number to nothing
    evidence_numbers = {_plain_number(n) for n in _NUMBER.findall(evidence)}
    missing = [n for n in _NUMBER.findall(sentence) if _plain_number(n) not in evidence_numbers]
    if missing:
        return f"number {missing[0]} is not in the passage"
    evidence_names = {_compact(w) for w in _WORDS.findall(evidence)}
    missing = [w for w in _names(sentence) if _compact(w) not in evidence_names]
    if missing:
        return f"name {missing[0]} is not in the passage"
    stems = {_stem(t) for t in tokenize(evidence)}
    supported = sum(1 for t in terms if _supported(t, stems))
    share = supported / len(terms)
    if share < min_support:
        return f"only {supported} of {len(terms)} words are in the passage"
    if question:
        asked = {_stem(t) for t in tokenize(question)}
        novel = [t for t in terms if not _supported(t, asked)]
        if not novel:
            return "it only restates the question"
        supported = sum(1 for t in novel if _supported(t, stems))
        if supported / len(novel) < min_support:
            return f"only {supported} of the {len(novel)} words not taken from the question are in the passage"
    return None


def _sentences(text: str) -> list[str]:
    """Sentences of generated text, with citation markers that open a sentence moved to the one before."""
    pieces: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        for piece in split_sentences(line):
            piece = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", piece).strip()
            lead = _LEADING_MARKERS.match(piece)
            if lead and pieces:
                pieces[-1] = f"{pieces[-1]} {lead.group(0).strip()}"
                piece = piece[lead.end() :].strip()
            if piece:
                pieces.append(piece)
    return pieces


def _unsupported_by_any(sentence: str, citations: Sequence[Citation], question: str, min_support: float) -> str | None:
    """None when one sentence of the cited passages supports `sentence`.

    Checking sentence by sentence rather than the whole passage stops a sentence that joins a number
    from one line to a name from another ("OneFormer gets 219M parameters on ADE20K").
    """
    reasons = []
    for citation in citations:
        for stretch in _stretches(citation):
            reason = unsupported_reason(sentence, stretch, question=question, min_support=min_support)
            if reason is None:
                return None
            reasons.append(reason)
    return min(reasons, key=_reason_rank) if reasons else "the passage is empty"


def _stretches(citation: Citation) -> list[str]:
    """The passage's sentences, each with the note title and section (which name what it is about)."""
    heading = f"{citation.title} {citation.section}"
    sentences = [s for line in citation.passage.split("\n") for s in split_sentences(line)]
    return [f"{heading} {s}" for s in sentences] or [heading]


def _reason_rank(reason: str) -> tuple[int, float]:
    """Order reasons so the one reported is the nearest miss (the stretch that passed the most checks)."""
    match = re.match(r"only (\d+) of (the )?(\d+)", reason)
    if match:
        return (1 if match.group(2) else 2, -int(match.group(1)) / max(int(match.group(3)), 1))
    return (3 if reason.startswith(("number", "name")) else 0, 0.0)


def _evidence(citation: Citation) -> str:
    return f"{citation.title} {citation.section} {citation.passage}"


def _best_passage(sentence: str, citations: Sequence[Citation]) -> list[int]:
    """The number of the passage sharing most words with an uncited sentence ([] when none shares any)."""
    terms = {_stem(t) for t in tokenize(sentence)}
    best, best_overlap = None, 0
    for citation in citations:
        stems = {_stem(t) for t in tokenize(_evidence(citation))}
        overlap = sum(1 for t in terms if _supported(t, stems))
        if overlap > best_overlap:
            best, best_overlap = citation.number, overlap
    return [best] if best is not None else []


def _names(sentence: str) -> list[str]:
    """Words that name something (TinyViT, ViT-H, ADE20K, SAM): facts, like numbers, that must be in the passage."""
    names = []
    for word in _WORDS.findall(sentence):
        word = word.strip("-_")
        has_letter, has_digit = any(c.isalpha() for c in word), any(c.isdigit() for c in word)
        if any(c.isupper() for c in word[1:]) or (has_letter and has_digit):
            names.append(word)
    return names


def _compact(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def _plain_number(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def _stem(term: str) -> str:
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def _supported(term: str, stems: set[str]) -> bool:
    stem = _stem(term)
    if stem in stems:
        return True
    if len(stem) < 5:
        return False
    return any(len(s) >= 5 and (s.startswith(stem) or stem.startswith(s)) for s in stems)


# ----------------------------------------------------------------------------------------------
# The generative mode


def grounded_answer(
    question: str,
    extractive: Answer,
    reader: GenerativeReader,
    *,
    max_new_tokens: int = 120,
    on_token: TokenCallback | None = None,
    cancel: threading.Event | None = None,
    min_support: float = MIN_SUPPORT,
) -> ReaderResult:
    """Let `reader` write the answer from the extractive answer's passages, keeping only supported sentences.

    A refusal is returned unchanged (nothing is generated from weak evidence); when no generated
    sentence survives the check, the extractive answer is returned with `fell_back=True`.
    """
    if extractive.refused or not extractive.citations:
        return ReaderResult(extractive, None, reason="the notes don't answer the question")
    citations = extractive.citations[:MAX_PASSAGES]
    try:
        generated = reader.generate(
            question, citations, max_new_tokens=max_new_tokens, on_token=on_token, cancel=cancel
        )
    except ModelError:
        raise
    except Exception as error:  # a generation failure must not cost the user the extractive answer
        logger.warning("reader failed (%s); using the extractive answer", error)
        return ReaderResult(extractive, None, fell_back=True, reason=f"the reader failed: {error}")
    result = ground(extractive, generated, min_support=min_support)
    result.tokens, result.seconds = reader.last_tokens, reader.last_seconds
    if cancel is not None and cancel.is_set() and not result.fell_back:
        result.reason = "cancelled; kept what was written"
    return result


def ground(extractive: Answer, generated: str, *, min_support: float = MIN_SUPPORT) -> ReaderResult:
    """The answer built from the supported sentences of `generated`, or the extractive one if none is."""
    kept, dropped = check_sentences(
        generated, extractive.citations[:MAX_PASSAGES], question=extractive.question, min_support=min_support
    )
    for item in dropped:
        logger.info("reader sentence dropped (%s): %s", item.reason, item.sentence)
    if not kept:
        logger.info("reader fell back to the extractive answer: no generated sentence is supported")
        return ReaderResult(
            extractive, generated, dropped, fell_back=True,
            reason="no generated sentence is supported by the passages",
        )
    answer = Answer(
        question=extractive.question,
        text=" ".join(kept),
        citations=extractive.citations,
        closest=extractive.closest,
        notes=extractive.notes,
        confidence=extractive.confidence,
        kind=extractive.kind,
        read_as=extractive.read_as,
        outside_scope=extractive.outside_scope,
    )
    return ReaderResult(answer, generated, dropped)
