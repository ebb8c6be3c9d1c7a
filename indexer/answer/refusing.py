"""Refusing: names the notes don't contain, details they don't record, and evidence too weak to quote."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.lexical import tokenize
from indexer.retrieval import Hit, Retriever

MIN_SENTENCE_SCORE = 0.25
"""Below this (calibrated on tests/eval/questions.jsonl, see docs/EVALUATION.md) the answer is a refusal."""
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


def missing_details(question: str, hits: Sequence[Hit]) -> list[str]:
    """Detail terms (hyperparameters, licences) the question asks for that no top passage mentions."""
    asked = [term for term in DETAIL_TERMS if term in question.lower()]
    text = " ".join(h.chunk.text.lower() for h in hits)
    return [term for term in asked if term not in text]


def unknown_names(question: str, retriever: Retriever) -> list[str]:
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
