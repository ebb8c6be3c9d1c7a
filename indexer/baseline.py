"""A plain retrieval baseline to measure the system against: 200-word windows, dense + BM25, reciprocal-rank fusion."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from indexer.embedding import Encoder
    from indexer.notes import Note

logger = logging.getLogger(__name__)

WINDOW_WORDS = 200
"""Each note's whole text cut into consecutive windows of this many words (no headings, no fields)."""
RRF_K = 60
"""Reciprocal-rank fusion constant (the usual 60): score = Σ 1 / (RRF_K + rank) over the dense and BM25 lists."""
DEPTH = 100
"""How many windows each list contributes to the fusion."""
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Window:
    """One fixed window of a note's text."""

    note_id: str
    text: str


def windows_of(notes: Sequence[Note], size: int = WINDOW_WORDS) -> list[Window]:
    """Every note's text (as written, front matter included) in consecutive windows of `size` words."""
    windows: list[Window] = []
    for note in notes:
        words = note.text.split()
        windows += [Window(note.id, " ".join(words[i : i + size])) for i in range(0, len(words), size)]
    return windows


def _terms(text: str) -> list[str]:
    from bm25s.stopwords import STOPWORDS_EN

    stop = set(STOPWORDS_EN)
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in stop]


class BaselineRetriever:
    """Dense and BM25 (default bm25s parameters) over fixed windows, fused by reciprocal rank."""

    def __init__(self, notes: Sequence[Note], encoder: Encoder) -> None:
        import bm25s

        self.encoder = encoder
        self.windows = windows_of(notes)
        texts = [w.text for w in self.windows]
        self.vectors: np.ndarray = encoder.encode_documents(texts)
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.bm25 = bm25s.BM25()
        if texts:
            self.bm25.index([_terms(t) or ["∅"] for t in texts], show_progress=False)

    def rank_notes(self, query: str, k: int = 10, query_vector: np.ndarray | None = None) -> list[str]:
        """Ids of the notes of the best-fused windows, best first, at most `k`."""
        import numpy as np

        if not self.windows:
            return []
        vector = query_vector if query_vector is not None else self.encoder.encode_queries([query])[0]
        dense = np.argsort(-(self.vectors @ vector), kind="stable")[:DEPTH]
        terms = [t for t in _terms(query) if t in self.bm25.vocab_dict]
        lexical: list[int] = []
        if terms:
            scores = np.asarray(self.bm25.get_scores(terms))
            lexical = [int(i) for i in np.argsort(-scores, kind="stable")[:DEPTH] if scores[i] > 0]
        fused: dict[int, float] = {}
        for ranking in (dense.tolist(), lexical):
            for rank, row in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
        order = sorted(fused, key=lambda row: (-fused[row], row))
        return list(dict.fromkeys(self.windows[row].note_id for row in order))[:k]
