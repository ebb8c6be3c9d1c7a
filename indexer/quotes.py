"""Quotable sentences: how a passage splits into the sentences answers quote, and the text each is embedded as.

The index embeds these texts once, at build time (cached by `quote_hash`), so answering a question
costs dot products instead of model calls; answers embed only what an older index lacks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.chunking import ABOUT_SECTION, Chunk
from indexer.sentences import split_sentences

_ENDS_WITH_URL = re.compile(r"(?:https?://|www\.)\S+$")
MIN_QUOTE_CHARS = 12
"""Shorter pieces (list markers, "Results:") are not quoted."""
_ONLY_IMAGES = re.compile(r"^[\s\-*+>.:;,]*(?:\[image: [^\]]*\][\s.:;,]*)+$")
"""A piece that is nothing but images ("[image: Algo1]") says nothing a reader could quote."""


@dataclass(frozen=True)
class Quote:
    """One sentence of a passage, its place in it, and the text its vector is made from."""

    sentence: str
    position: int
    embed_text: str

    @property
    def hash(self) -> str:
        """Key of the sentence vector in the index's cache."""
        return quote_hash(self.embed_text)


def quotes_of(text: str, section: str) -> list[Quote]:
    """The quotable sentences of a passage under `section`, in reading order (line by line; table rows read with their header)."""
    found: list[Quote] = []
    header: list[str] | None = None
    for line in text.split("\n"):
        cells = _cells(line)
        if cells is None:
            header = None
        elif header is None or len(cells) != len(header):
            header = cells  # a table's first row names its columns: not quoted on its own
            continue
        else:
            line = table_row_sentence(header, cells)
        for piece in split_sentences(line):
            sentence = piece.strip()
            if len(sentence) < MIN_QUOTE_CHARS or _ONLY_IMAGES.match(sentence):
                continue
            found.append(Quote(sentence, len(found), quote_embed_text(sentence, section)))
    return found


def _cells(line: str) -> list[str] | None:
    """The cells of a table row as chunks keep it ("a | b | c"), else None."""
    if " | " not in line:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
    return cells if len(cells) >= 2 else None


def table_row_sentence(header: list[str], cells: list[str]) -> str:
    """A table row as a sentence: "TinyViT-5M: Params 5.4M; MACs 1.3G." (first cell first, each value after its column)."""
    pairs = [f"{h} {v}" if h else v for h, v in zip(header[1:], cells[1:], strict=True) if v]
    return f"{cells[0]}: {'; '.join(pairs)}" if cells[0] else "; ".join(pairs)


def chunk_quotes(chunk: Chunk) -> list[Quote]:
    """The quotable sentences of `chunk`."""
    return quotes_of(chunk.text, chunk.section)


def quote_texts(chunks: Iterable[Chunk]) -> dict[str, str]:
    """Hash → embed text of every quotable sentence of `chunks`: what the index embeds for answers."""
    return {quote.hash: quote.embed_text for chunk in chunks for quote in chunk_quotes(chunk)}


def quote_embed_text(sentence: str, section: str) -> str:
    """The sentence after its section heading, which often says what it is about."""
    heading = section.split(" › ")[-1]
    cleaned = clean_sentence(sentence)
    return f"{heading}: {cleaned}" if heading and heading != ABOUT_SECTION else cleaned


def clean_sentence(sentence: str) -> str:
    """Without a list marker, ending in punctuation: as it reads inside an answer."""
    sentence = re.sub(r"^\s*[-*+]\s+", "", sentence).strip()
    if sentence.endswith((".", "!", "?", ":", ")")) or _ENDS_WITH_URL.search(sentence):
        return sentence  # a period glued to a link would break it
    return sentence + "."


def quote_hash(embed_text: str) -> str:
    """Content hash of a sentence's embedded text."""
    return hashlib.sha256(embed_text.encode("utf-8")).hexdigest()
