"""Code lines: the lines of a note's fenced code blocks ("def step(x):"), which the index keeps as text but no answer quotes.

A passage's text keeps a code block's lines without its fences, so the note's own lines tell which
sentences are code: a line between ``` (or ~~~) fences, compared as it reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from indexer.answer.candidates import Candidate
from indexer.answer.metadata import read_lines
from indexer.retrieval import Hit

_FENCE = re.compile(r"^\s*(```|~~~)")


def without_code_lines(candidates: Sequence[Candidate], pool: Sequence[Hit], root: Path) -> list[Candidate]:
    """The candidates that are not lines of a fenced code block of their note (all of them when every one is)."""
    code = {i: _code_of(pool[i], root) for i in {c.hit_index for c in candidates}}  # once per passage, not per sentence
    kept = [c for c in candidates if _plain(c.sentence) not in code[c.hit_index]]
    return kept or list(candidates)


def _code_of(hit: Hit, root: Path) -> frozenset[str]:
    chunk = hit.chunk
    lines = read_lines(str(root / chunk.rel_path))
    return code_lines(tuple(lines[max(0, chunk.start_line - 1) : chunk.end_line]))


@lru_cache(maxsize=4096)
def code_lines(lines: tuple[str, ...]) -> frozenset[str]:
    """How each line inside a fenced code block of `lines` reads (a passage may start inside a block: it then has no fence)."""
    found: set[str] = set()
    inside = False
    for line in lines:
        if _FENCE.match(line):
            inside = not inside
        elif inside and line.strip():
            found.add(_plain(line))
    return frozenset(found)


def _plain(text: str) -> str:
    return " ".join(text.split()).rstrip(".").lower()
