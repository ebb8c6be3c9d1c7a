"""Lines that are not sentences: a label ("Model Overview:"), a line of LaTeX or markup, the note's title restated.

Such lines are still indexed and retrieved (a passage keeps them); they are never quoted as an
answer's sentence: a reader sees a caption, a formula's source or a heading where a claim should be.
"""

from __future__ import annotations

import re

MAX_LABEL_WORDS = 3
"""A line ending in ":" of at most this many words is a label ("Model Overview:", "Main contributions:"); a longer one
announces what follows ("The model consists of 2 parts:") and stays."""
MAX_TITLE_CASE_LABEL_WORDS = 6
"""... and so is a longer one in title case ("Results on Standard Benchmarks:"), a heading written as a line."""
MARKUP_SHARE = 0.5
"""A line whose letters are at least this share inside $…$ formulas or LaTeX commands is markup, not prose."""

_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_COMMAND = re.compile(r"\\[A-Za-z]+")
_EMPHASIS = re.compile(r"[*_`]+")
_SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "for", "in", "on", "with", "to", "vs", "vs.", "versus", "or", "by", "at"})


def is_fragment(sentence: str, title: str = "") -> bool:
    """Whether `sentence` is a label, markup or the note's `title` rather than a sentence an answer can quote."""
    return is_label(sentence) or is_markup(sentence) or restates(sentence, title)


def is_label(sentence: str) -> bool:
    """A heading written as a line: a few words ending in ":" ("Model Overview:", "**Key Results:**")."""
    text = _EMPHASIS.sub("", re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", sentence)).strip()
    if not text.endswith(":") or re.search(r"\d", text):
        return False
    words = re.findall(r"[^\s]+", text.rstrip(":"))
    if not words:
        return True
    if len(words) <= MAX_LABEL_WORDS:
        return True
    title_case = all(w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL_WORDS for w in words)
    return title_case and len(words) <= MAX_TITLE_CASE_LABEL_WORDS


def is_markup(sentence: str) -> bool:
    """Mostly a formula's or markup's source: `$User:$ ${\\color{blue}\\text{Tell me ...}}$`, `$$ \\hat{x} = ... $$`."""
    letters = _letters(sentence)
    if not letters or ("$" not in sentence and "\\" not in sentence):
        return False
    outside = _MATH.sub(" ", sentence)
    if outside.count("$") % 2:  # a formula the sentence splitter cut: an opening "$" runs to the end, a closing one from the start
        cut = outside.index("$")
        opens = outside[cut + 1 : cut + 2] in ("{", "\\") or cut == 0
        outside = outside[:cut] if opens else outside[cut + 1 :]
    prose = _letters(_COMMAND.sub(" ", outside))
    return prose < (1 - MARKUP_SHARE) * letters


def restates(sentence: str, title: str) -> bool:
    """The note's title on its own ("Huge Table Note."), as an About passage or a first line opens."""
    squashed = _squashed(_EMPHASIS.sub("", sentence))
    return bool(squashed) and squashed == _squashed(title)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _squashed(text: str) -> str:
    """Letters and digits only, lower case: a title compared with a sentence restating it."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
