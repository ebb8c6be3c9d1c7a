"""Sentence splitting that keeps abbreviations, decimals and citations like "et al." intact."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset({
    # Latin and English shorthand of technical writing, with the dot-less spellings note-takers use
    "e.g", "eg", "i.e", "ie", "et al", "al", "vs", "cf", "viz", "w.r.t", "wrt", "approx", "resp", "esp", "incl", "avg",
    # references into a paper
    "fig", "figs", "eq", "eqs", "eqn", "eqns", "sec", "secs", "sect", "tab", "tabs", "ref", "refs", "no", "nos", "vol", "pp",
    # shortened technical words ("Temp. Scaling")
    "temp",
    # people and organisations
    "dr", "mr", "ms", "prof", "inc", "jr", "sr", "st",
})
"""Words whose dot ends no sentence even before a capital. Measured on both evaluation sets (content/ and
papers_we_read): every "<word>. <Capital or digit>" with one of these is an abbreviation (Temp. 6, i.e./ie. 4,
e.g. 2, et al. 2, Eq. 1, no. 1). "etc" is not here: both times it came before a capital it ended the sentence
("... aesthetics, etc. One can ...", "(like hairs, etc.). The ..."). Words that often end a sentence (max, min,
app) stay out. A blank line or a new list item ends a sentence whatever word comes before it."""
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*_`~])|\n{2,}|\n(?=\s*[-*+] )")
"""A sentence's end punctuation before a capital (or digit, or markup), else a blank line or a new list item."""
_NEW_BLOCK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*[-*+] )")
"""Inside a boundary: a blank line, or a line break before a list item."""


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
        if not _NEW_BLOCK.search(text, match.start(), match.end() + 3) and (last_word in _ABBREVIATIONS or tail.endswith("et al.") or re.search(r"\b[A-Z]\.$", candidate)):
            continue
        pieces.append(candidate)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces
