"""The authors of a note without front matter, read from the byline under its title ("Ashish Vaswani, Noam Shazeer, …, NIPS 2017")."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^<>\n]*>")
_TRAILING_BOLD = re.compile(r"(?:[\s,;|]*\*\*[^*\n]*\*\*)+[\s,;|]*$")
_PREFIX = re.compile(r"^(?:authors?|by)\s*[:=]+\s*[-–—]?\s*", re.IGNORECASE)
_PARTS = re.compile(r"\s*(?:,|;|&|\||\band\b)\s*")
_ET_AL_END = re.compile(r"[\s,]+et\.?\s*al\b\.?(?=[\s,]|$)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"(?<=[^\W\d])\d+$")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
PARTICLES = frozenset({"van", "der", "den", "de", "von", "di", "da", "del", "dos", "du", "la", "le", "bin", "al"})
"""Lowercase words a name may hold (Laurens van der Maaten, Marie-Catherine de Marneffe)."""
ET_AL = "et al."
"""Ends the authors of a byline that names only the first few ("Mara Quill, et al.")."""
_APOSTROPHE_SPACE = re.compile(r"(?<![^\W\d])([A-Z])['’]\s+(?=[A-Z])")
"""`O' Connor` as bylines sometimes space it: one word, `O'Connor`."""
NAME_WORDS = range(2, 6)
"""Words in a person's name as bylines write it: "Jun-Yan Zhu", "Alexander C. Berg", "Tamar Rott Shaham"."""


def byline_authors(lines: list[str], start: int) -> list[str]:
    """The authors named by the first paragraph at or after `start`, if its first line is a byline; else [].

    A byline is a line of names apart by commas, "and" or "&" (or `Last, First and Last, First`),
    maybe after "Authors:", maybe ending in the venue and year; at least two names, or one with
    "Authors:" or "et al.". Any other opening line (prose, a list, a heading) names nobody.
    """
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines):
        return []
    line = lines[i].strip()
    if line.startswith(("#", ">", "```", "~~~", "![", "<img")) or re.match(r"(?:[-*+]|\d+[.)])(?:\s|$)", line):
        return []  # a heading, a quote, code, a figure or a list: not a byline
    line = _TRAILING_BOLD.sub("", _TAG.sub(" ", line))  # <br>; a bold venue at the end ("**CVPR 2021**")
    line = re.sub(r"\*+|(?<!\w)_+|_+(?!\w)", "", line).strip()
    prefixed = bool(_PREFIX.match(line))
    line = _PREFIX.sub("", line).split("|")[0]  # "names | affiliation | venue"
    et_al = bool(_ET_AL_END.search(line))
    line = _ET_AL_END.sub("", line)
    parts = _bibtex_names(line) or [p for p in _PARTS.split(line) if p.strip()]
    names = [name for name in (_as_name(p) for p in parts) if name]
    if not parts or _as_name(parts[0]) is None:
        return []  # a byline starts with a name
    others = len(parts) - len(names)
    enough = len(names) >= 2 or (names and (prefixed or et_al))
    if not (enough and others <= len(names) // 2 + 1):
        return []
    return [*names, ET_AL] if et_al else names  # "et al." kept: the names are not all the authors


def _bibtex_names(line: str) -> list[str] | None:
    """`Qin, Xu and Wang, Zhilin and …` as ["Xu Qin", "Zhilin Wang", …]; None when the line is not written so."""
    pieces = re.split(r"\s+and\s+", line)
    if len(pieces) < 2:
        return None
    names = []
    for piece in pieces:
        halves = [h.strip() for h in piece.split(",")]
        if len(halves) != 2 or not all(h and len(h.split()) <= 2 for h in halves):
            return None
        names.append(f"{halves[1]} {halves[0]}")
    return names


def _as_name(part: str) -> str | None:
    """`part` as a person's name ("Yann LeCun1" → "Yann LeCun"), or None if it is not one (a venue, an affiliation)."""
    words = [_FOOTNOTE.sub("", w) for w in _APOSTROPHE_SPACE.sub(r"\1'", part).split()]
    if len(words) not in NAME_WORDS:
        return None
    for word in words:
        if word in PARTICLES or _INITIALS.match(word):
            continue
        if not (word[0].isupper() and any(c.islower() for c in word)):
            return None  # lowercase prose, or an acronym (CVPR, AI)
        if not all(c.isalpha() or c in "-'’." for c in word):
            return None  # digits, brackets: a venue or an affiliation
    return " ".join(words)
