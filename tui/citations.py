"""Where a citation points in its note: the lines of the block holding the quoted sentence, inside the cited passage."""

from __future__ import annotations

import re

from indexer.answer import Citation
from indexer.notemodel import Block, Note

_WORD = re.compile(r"\w+")
CLOSE_ENOUGH = 0.6
"""Share of the quote's words a block must hold when the quote is not in it word for word (a table row
is quoted as "AP: value 41.2", the block holds "AP | 41.2")."""


def quoted_lines(note: Note | None, citation: Citation) -> tuple[int, int] | None:
    """The 1-based inclusive lines of the block of `citation`'s passage holding its quote (None: none does)."""
    first, last = citation.lines
    blocks = [
        block
        for section in (note.sections if note is not None else [])
        for block in section.blocks
        if first <= block.start_line and block.end_line <= last
    ]
    found = quoted_block(blocks, citation.quote)
    return (found.start_line, found.end_line) if found is not None else None


def quoted_block(blocks: list[Block], quote: str) -> Block | None:
    """The first of `blocks` holding `quote` (whitespace and case aside), else the one holding most of its words."""
    wanted = _plain(quote)
    if not wanted:
        return None
    for block in blocks:
        if wanted in _plain(block.text):
            return block
    words = set(_WORD.findall(wanted))
    if not words or not blocks:
        return None

    def held(block: Block) -> float:
        return len(words & set(_WORD.findall(_plain(block.text)))) / len(words)

    best = max(blocks, key=held)  # the first of equals
    return best if held(best) >= CLOSE_ENOUGH else None


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
