"""Link lines: a sentence that is only a link ("- https://...", "Code: https://...", a list item of link text).

Such a line says where to go, not what a paper does: it answers a question that asks for a link
(paper, code, demo, source, a website, a video ...) and no other. In a note's Markdown a link may
show only its text ("- [BYOL (Youtube)](https://...)" is indexed as "- BYOL (Youtube)"), so the
note's own lines tell which sentences are link text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from indexer.answer.candidates import Candidate
from indexer.answer.metadata import read_lines
from indexer.answer.questions import Asked
from indexer.retrieval import Hit

LINK_FIELDS = frozenset({"paper", "code", "demo", "source"})
"""Metadata fields a link answers."""
_ASKS_FOR_LINK = re.compile(
    r"\b(?:links?|urls?|website|web\s*page|homepage|home\s+page|project\s+(?:page|site)|site|videos?|youtube|blogs?|slides|"
    r"resources|references|further\s+reading|download|checkpoints?|where\s+(?:can|could|should|do|does|is|are)\b)\b",
    re.IGNORECASE,
)
_LINK = r"(?:!?\[[^\]]*\]\([^)]*\)|<?(?:https?://|www\.)[^\s>]+>?)"
_LABEL = r"(?:[^\s:]+(?:\s+[^\s:]+){0,4}?\s*(?::\s*-*>?|\s[-–—]+>?)\s*|[^\s:]+(?:\s+[^\s:]+)?\s+)"
"""Before a link: at most five words and a separator ("Other resources and blogs :", "Paper:-", "Code -"), or one or two words."""
LINK_LINE = re.compile(
    rf"^\s*(?:(?:[-*+]|\d+[.)])\s+)?{_LABEL}?{_LINK}(?:[\s,;|/·•]+(?:and\s+)?{_LABEL}?{_LINK})*[\s.,;]*$"
)
"""A line (or sentence) that is only links, each after an optional short label, behind an optional list marker."""
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
POINTER = re.compile(
    r"^\W*(?:(?:for\s+(?:more\s+)?(?:details|more|information|specifics)|more\s+(?:details|info))\s*,?\s+)?"
    r"(?:see|read|check(?:\s+out)?|refer\s+to|look\s+at)\s+(?:the\s+|this\s+|our\s+)?(?:[\w-]+\s+){0,3}[\w-]+\s*[.!:]?\s*$",
    re.IGNORECASE,
)
"""A sentence that only points elsewhere ("See the paper.", "For details, see the appendix."): a link's stub."""


def asks_for_link(question: str, asked: Asked) -> bool:
    """Whether the question asks for a place to go: a paper, code, demo or source, or a link, website, video ..."""
    return bool(LINK_FIELDS & set(asked.fields)) or bool(_ASKS_FOR_LINK.search(question))


def without_link_lines(candidates: Sequence[Candidate], pool: Sequence[Hit], root: Path) -> list[Candidate]:
    """The candidates that are not link lines (all of them when every one is)."""
    texts = {i: _link_texts_of(pool[i], root) for i in {c.hit_index for c in candidates}}  # once per passage, not per sentence
    kept = [c for c in candidates if not is_link_line(c.sentence, texts[c.hit_index])]
    return kept or list(candidates)


def is_link_line(sentence: str, link_texts: frozenset[str] = frozenset()) -> bool:
    """Whether `sentence` is only a link (with a short label), or is the visible text of a link-only line of its note."""
    return bool(LINK_LINE.match(sentence) or POINTER.match(sentence)) or _visible(sentence) in link_texts


def _link_texts_of(hit: Hit, root: Path) -> frozenset[str]:
    chunk = hit.chunk
    return link_texts(str(root / chunk.rel_path), chunk.start_line, chunk.end_line)


def link_texts(path: str, start: int, end: int) -> frozenset[str]:
    """The visible text of the Markdown link-only lines between lines `start` and `end` (1-based) of the note at `path`."""
    lines = read_lines(path)
    return _texts(tuple(lines[max(0, start - 1) : end]))


@lru_cache(maxsize=4096)
def _texts(lines: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        _visible(_MARKDOWN_LINK.sub(lambda m: m.group(1), line))
        for line in lines
        if _MARKDOWN_LINK.search(line) and LINK_LINE.match(line)
    )


def _visible(text: str) -> str:
    """How a line reads, to compare a Markdown line with its indexed sentence: no list marker, markup or case."""
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.lower().split()).strip(" .,;:")
