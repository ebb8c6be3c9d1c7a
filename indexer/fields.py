"""Query-time field matches of candidate passages: the note's title and aliases, its metadata, the passage's headings."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
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


def heading_terms(context: str) -> set[str]:
    """The terms of a passage's section path (its `Title › Section › …` context without the title)."""
    return set(tokenize(" ".join(context.split(HEADING_SEPARATOR)[1:])))


class NoteFields:
    """BM25 over one short field per note (title field or metadata field), scored for a whole query at once."""

    def __init__(self, note_ids: Sequence[str], texts: Iterable[str]) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.note_ids = list(note_ids)
        self.position = {note_id: i for i, note_id in enumerate(self.note_ids)}
        corpus = [tokenize(t) or ["∅"] for t in texts]
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        self.empty = not any(c != ["∅"] for c in corpus)
        if corpus and not self.empty:
            self.model.index(corpus, show_progress=False)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of each note's field for the query terms, divided by the best (so 0..1)."""
        import numpy as np

        if self.empty:
            return np.zeros(len(self.note_ids), dtype=np.float32)
        known = [t for t in terms if t in self.model.vocab_dict]
        if not known:
            return np.zeros(len(self.note_ids), dtype=np.float32)
        found = np.asarray(self.model.get_scores(known), dtype=np.float32)
        best = float(found.max())
        return found / best if best > 0 else found
