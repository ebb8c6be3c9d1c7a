"""Query-time field matches of candidate passages: the note's title and aliases, its metadata, the passage's headings."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from indexer.lexical import LexicalIndex, tokenize

if TYPE_CHECKING:
    from pathlib import Path

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


def note_fields(notes: Sequence[StoredNote]) -> tuple[NoteFields, NoteFields]:
    """The title field and the metadata field of `notes`, in their order."""
    ids = [n.id for n in notes]
    return NoteFields.build(ids, [title_field(n) for n in notes]), NoteFields.build(ids, [metadata_field(n) for n in notes])


def note_words(notes: Iterable[StoredNote]) -> frozenset[str]:
    """Lowercased words of every note's id, title and aliases, and the initials of its title ("NMT").

    What the answers' refusals take as known names (answer/refusing.py).
    """
    words: set[str] = set()
    for note in notes:
        names = [note.id.replace("_", " ").replace("/", " "), note.title, *(str(a) for a in note.meta.get("aliases", []) or [])]
        for name in names:
            words.update(w.lower() for w in re.findall(r"[\w-]+", name))
            capitals = [w for w in re.findall(r"[A-Za-z][\w-]*", name) if w[0].isupper()]
            for size in range(2, min(6, len(capitals)) + 1):
                for start in range(len(capitals) - size + 1):
                    words.add("".join(w[0] for w in capitals[start : start + size]).lower())
    return frozenset(words)


FIELDS_RULE = "1"
"""Version of what a build stores for the fields (`title_field`, `metadata_field`, `note_words`, NoteFields' BM25): bump it
when they change (K1 and B are part of the stored key already), so a build rewrites them (store/derived.py)."""


class NoteFields:
    """BM25 (Lucene form, k1=1.2, b=0.75) over one short field per note, scored with numpy: no bm25s on the ask path.

    Built from the notes' field texts (`build`), or opened memory-mapped from the files a build
    wrote (`save` / `load`): the same posting lists, so the same scores.
    """

    K1, B = 1.2, 0.75

    def __init__(self, note_ids: Sequence[str], index: LexicalIndex) -> None:
        self.note_ids = note_ids
        self._index = index
        self._position: dict[str, int] | None = None

    @classmethod
    def build(cls, note_ids: Sequence[str], texts: Iterable[str]) -> NoteFields:
        """Each note's field text tokenized, weighed by BM25 and laid out as posting lists."""
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths: list[int] = []
        for i, text in enumerate(texts):
            terms = tokenize(text)
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                postings.setdefault(term, []).append((i, count))
        average = (sum(lengths) / len(lengths)) if lengths else 0.0
        total = len(lengths)
        weights: dict[str, list[tuple[int, float]]] = {}
        for term, found in postings.items():
            idf = math.log(1.0 + (total - len(found) + 0.5) / (len(found) + 0.5))
            weights[term] = [
                (i, idf * tf * (cls.K1 + 1) / (tf + cls.K1 * (1 - cls.B + cls.B * lengths[i] / (average or 1.0))))
                for i, tf in found
            ]
        return cls(list(note_ids), LexicalIndex.from_postings(total, weights))

    def save(self, folder: Path) -> None:
        """Write the posting lists into `folder` (the note order is the caller's to keep)."""
        self._index.save(folder)

    @classmethod
    def load(cls, folder: Path, note_ids: Sequence[str]) -> NoteFields:
        """Open fields saved by `save` for notes `note_ids` (memory-mapped); damage is IndexCorruptError."""
        return cls(note_ids, LexicalIndex.load(folder, expected_size=len(note_ids)))

    @property
    def position(self) -> dict[str, int]:
        """Note id → its number in the fields."""
        if self._position is None:
            self._position = {note_id: i for i, note_id in enumerate(self.note_ids)}
        return self._position

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of each note's field for the query terms, divided by the best (so 0..1)."""
        import numpy as np

        found = self._index.term_scores(terms) if self.note_ids else np.zeros(0, dtype=np.float32)
        best = float(found.max()) if len(found) else 0.0
        return found / best if best > 0 else found
