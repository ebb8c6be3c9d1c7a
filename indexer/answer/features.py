"""What the scorer sees of each candidate: meaning, words shared (with its context), place, and fit to the question's type."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.candidates import PASSAGES, Candidate, overlap
from indexer.answer.naming import has_subject_pronoun, is_naming_sentence, mentions_name
from indexer.answer.questions import COMPARISON, Asked, metric_terms
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit

FEATURES: tuple[str, ...] = (
    "meaning",          # cosine of the sentence (after its heading) and the question
    "meaning_gap",      # how far below the best candidate's cosine
    "words",            # share of the question's terms in the sentence, subject resolved
    "context_words",    # ... in its heading path and the sentence before it
    "passage_meaning",  # cosine of its passage and the question
    "passage_rank",     # 1 for the best passage, falling to 0 past the top passages
    "best_note",        # it is in the best passage's note
    "number",           # it holds a figure
    "asked_number",     # the question asks for a quantity and it holds a figure
    "asked_metric",     # ... and it names the kind of figure asked for (accuracy, FPS, parameters)
    "asked_comparison", # the question compares and so does it
    "reference",        # it is a metadata line or a link list
    "short",            # under 40 characters
    "length",           # characters / 200, at most 1
    "names_note",       # it says the note's name
    "asked_name",       # the question asks for a name and it says the note's name
    "asked_naming",     # ... and it is the sentence that introduces the method by name
    "asked_list",       # the question asks for a list and it is a list item or enumerates
    "asked_count",      # the question asks for N things and it says N
    "pronoun",          # it starts with They/It/The paper (resolved to the note's name)
    "early",            # it sits in the note's first sections
    "overview",         # its heading is a summary, abstract, introduction or idea
)
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"https?://\S+")
_OVERVIEW = re.compile(r"\b(summary|abstract|introduction|overview|tl;?dr|idea|in short|gist|key idea|motivation)\b", re.IGNORECASE)
_COUNT_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ENUMERATION = re.compile(r"(?:,[^,]+){2,}|:\s*\S|\b(?:both|either|first|second|third)\b|\(\w\)|\b\d\)", re.IGNORECASE)
REFERENCE_HEADINGS = {"sources", "links", "references", "resources", "source", "reference", "bibliography", "citation"}


def is_reference_section(section: str) -> bool:
    """The metadata chunk and link lists: right for "who wrote it?", noise for most questions."""
    head = section.split(" › ")[0].strip().lower()
    return section == ABOUT_SECTION or head in REFERENCE_HEADINGS


def figure_of(sentence: str, metric: str) -> bool:
    """Whether the sentence gives a figure of kind `metric` (a number and a word or sign for it)."""
    if not _DIGIT.search(_URL.sub("", sentence)):
        return False
    lowered = sentence.lower()
    return any((t in lowered) if not t.isalpha() else re.search(rf"(?<![a-z]){re.escape(t)}(?![a-z])", lowered) is not None for t in metric_terms(metric))


def feature_rows(
    asked: Asked,
    candidates: Sequence[Candidate],
    pool: Sequence[Hit],
    query_terms: set[str],
    meanings: Sequence[float],
) -> list[list[float]]:
    """One row of FEATURES per candidate."""
    best_note = pool[0].chunk.note_id if pool else ""
    top_meaning = max(meanings, default=0.0)
    rows: list[list[float]] = []
    for candidate, meaning in zip(candidates, meanings, strict=True):
        hit = pool[candidate.hit_index]
        sentence = candidate.sentence
        bare = _URL.sub("", sentence)
        has_number = bool(_DIGIT.search(bare))
        list_item = sentence.lstrip().startswith(("-", "*", "+")) or bool(re.match(r"\s*\d+[.)]\s", sentence))
        names = candidate.names
        says_name = mentions_name(sentence, names) or has_subject_pronoun(sentence)
        count = asked.count or 0
        rows.append([
            meaning,
            meaning - top_meaning,
            overlap(query_terms, candidate.resolved),
            overlap(query_terms, f"{hit.chunk.context} {candidate.previous}"),
            hit.dense,
            max(0.0, 1.0 - candidate.hit_index / PASSAGES),
            1.0 if hit.chunk.note_id == best_note else 0.0,
            1.0 if has_number else 0.0,
            1.0 if asked.quantitative and has_number else 0.0,
            1.0 if asked.metrics and any(figure_of(sentence, m) for m in asked.metrics) else 0.0,
            1.0 if asked.comparative and COMPARISON.search(sentence) else 0.0,
            1.0 if is_reference_section(hit.chunk.section) else 0.0,
            1.0 if len(sentence) < 40 else 0.0,
            min(1.0, len(sentence) / 200),
            1.0 if says_name else 0.0,
            1.0 if asked.kind == "name" and says_name else 0.0,
            1.0 if asked.kind == "name" and is_naming_sentence(sentence, names) else 0.0,
            1.0 if asked.kind == "list" and (list_item or _ENUMERATION.search(sentence)) else 0.0,
            1.0 if 0 < count < len(_COUNT_WORDS) and re.search(rf"\b({_COUNT_WORDS[count]}|{count})\b", sentence, re.IGNORECASE) else 0.0,
            1.0 if has_subject_pronoun(sentence) else 0.0,
            1.0 / (1.0 + hit.chunk.ordinal),
            1.0 if _OVERVIEW.search(hit.chunk.section) else 0.0,
        ])
    return rows
