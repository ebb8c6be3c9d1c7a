"""Sentence splitting that keeps abbreviations, decimals and citations like "et al." intact."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g", "i.e", "et al", "al", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "no", "approx",
    "dr", "mr", "ms", "prof", "sec", "tab", "ref", "refs", "resp", "inc", "jr", "sr", "st", "vol",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*_`~])|\n{2,}|\n(?=\s*[-*+] )")


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences; never returns empty strings, and joins back to all the words."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].strip()
        if not candidate:
            continue
        last_word = re.split(r"\s+", candidate)[-1].strip(".!?…\"'()[]").lower()
        tail = candidate[-8:].lower()
        if last_word in _ABBREVIATIONS or tail.endswith("et al.") or re.search(r"\b[A-Z]\.$", candidate):
            continue
        pieces.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces
