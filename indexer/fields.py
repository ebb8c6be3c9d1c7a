"""Query-time field matches of candidate passages: the note's title and aliases, its metadata, the passage's headings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from indexer.lexical import tokenize

if TYPE_CHECKING:
    import numpy as np

    from indexer.store import StoredNote

HEADING_SEPARATOR = " › "


def title_field(note: StoredNote) -> str:
    """What a note is called: title, the part before a colon, aliases, and the file name."""
    aliases = [str(a) for a in note.meta.get("aliases", []) or []]
    name = note.id.rsplit("/", 1)[-1].replace("_", " ").replace("-", " ")
    return " ".join([note.title, *aliases, name])


def metadata_field(note: StoredNote) -> str:
    """Who and when: authors, year, tags (links are left out: their words say nothing)."""
    meta: dict[str, Any] = note.meta
    parts = [str(a) for a in meta.get("authors", []) or []]
    parts += [str(meta["year"])] if meta.get("year") else []
    parts += [str(t) for t in meta.get("tags", []) or []]
    return " ".join(parts)


@lru_cache(maxsize=20_000)
def heading_terms(context: str) -> frozenset[str]:
    """The terms of a passage's section path (its `Title › Section › …` context without the title)."""
    return frozenset(tokenize(" ".join(context.split(HEADING_SEPARATOR)[1:])))


class NoteFields:
    """BM25 (Lucene form, k1=1.2, b=0.75) over one short field per note, in plain Python: no bm25s on the ask path."""

    K1, B = 1.2, 0.75

    def __init__(self, note_ids: Sequence[str], texts: Iterable[str]) -> None:
        self.note_ids = list(note_ids)
        self.position = {note_id: i for i, note_id in enumerate(self.note_ids)}
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths: list[int] = []
        for i, text in enumerate(texts):
            terms = tokenize(text)
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                postings.setdefault(term, []).append((i, count))
        average = (sum(lengths) / len(lengths)) if lengths else 0.0
        total = len(lengths)
        self._weights: dict[str, list[tuple[int, float]]] = {}
        for term, found in postings.items():
            idf = math.log(1.0 + (total - len(found) + 0.5) / (len(found) + 0.5))
            self._weights[term] = [
                (i, idf * tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * lengths[i] / (average or 1.0))))
                for i, tf in found
            ]

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of each note's field for the query terms, divided by the best (so 0..1)."""
        import numpy as np

        found = np.zeros(len(self.note_ids), dtype=np.float32)
        for term in terms:
            for i, weight in self._weights.get(term, ()):
                found[i] += weight
        best = float(found.max()) if len(found) else 0.0
        return found / best if best > 0 else found
