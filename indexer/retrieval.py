"""Hybrid retrieval: dense (FAISS) and BM25 ranks fused, with note names, scopes and follow-up context."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from indexer import vectors
from indexer.embedding import Encoder
from indexer.store import StoredChunk, StoredIndex

if TYPE_CHECKING:
    import numpy as np

    from indexer.rerank import Reranker

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")
CANDIDATES = 40
SENTENCE_CACHE = 20_000
DENSE_WEIGHT = 0.65
"""Hybrid score = 0.65 × dense + 0.35 × BM25, each min-max normalised (tuned on tests/eval, docs/EVALUATION.md)."""
NAME_BOOST = 0.08
"""Added when the question names the note (title or alias that no other note shares)."""
PREFER_BOOST = 0.15
"""Added for the previous answer's notes when a question is a follow-up."""
NAMES_RULE = "1"
"""Version of `_note_names`: bump it when the rule changes, so names a build stored with an older rule are derived again."""
_JOINS_WORDS = re.compile(r"[\w-]")
"""A character that would make a name part of a longer word ("sam" in "mobilesam", "hq-sam")."""


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its fused score and the parts it came from."""

    chunk: StoredChunk
    score: float
    dense: float
    lexical: float
    named: bool


class Retriever:
    """Searches one StoredIndex with a query encoder."""

    def __init__(self, index: StoredIndex, encoder: Encoder, reranker: Reranker | None = None) -> None:
        self.index = index
        self.encoder = encoder
        self.reranker = reranker
        self._sentence_cache: dict[str, np.ndarray] = {}
        stored = index.stored_names(NAMES_RULE) if hasattr(index, "stored_names") else None
        self._name_ids = dict(stored if stored is not None else _note_names(index))  # stored: 1M chunks open in ~1 s, not ~8
        self._name_lengths = sorted({len(n) for n in self._name_ids}, reverse=True)

    def embed(self, text: str) -> np.ndarray:
        """The query vector for `text`."""
        return self.encoder.encode_queries([text])[0]

    def sentence_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of quotable sentences (their embed texts): from the index, else embedded and remembered."""
        import numpy as np

        from indexer.quotes import quote_hash

        wanted = {t: quote_hash(t) for t in dict.fromkeys(texts) if t not in self._sentence_cache}
        if wanted:
            stored = self.index.sentence_vectors(list(wanted.values()))
            missing = []
            for text, key in wanted.items():
                if key in stored:
                    self._sentence_cache[text] = stored[key]
                else:
                    missing.append(text)
            if missing:  # an index built before sentence vectors were stored, or a reader on an old generation
                for text, vector in zip(missing, self.encoder.encode_queries(missing), strict=True):
                    self._sentence_cache[text] = vector
        result = np.vstack([self._sentence_cache[t] for t in texts])
        while len(self._sentence_cache) > SENTENCE_CACHE:
            self._sentence_cache.pop(next(iter(self._sentence_cache)))
        return result

    def named_notes(self, query: str) -> list[str]:
        """Ids of notes whose title or alias the query names, longest names first."""
        text = query.lower()
        found: list[str] = []
        position = 0
        while position < len(text) and self._name_lengths:
            name = self._name_at(text, position)
            if name is None:
                position += 1
                continue
            if self._name_ids[name] not in found:
                found.append(self._name_ids[name])
            position += len(name)
        return found

    def _name_at(self, text: str, start: int) -> str | None:
        """The longest name that starts at `start` as a whole word of `text` (letters, digits, _ and - join)."""
        if start and _JOINS_WORDS.match(text, start - 1):
            return None
        for length in self._name_lengths:
            end = start + length
            if end > len(text):
                continue
            if text[start:end] in self._name_ids and not _JOINS_WORDS.match(text, end):
                return text[start:end]
        return None

    def search(
        self,
        query: str,
        *,
        k: int = 8,
        mode: Mode = "hybrid",
        scope: Sequence[str] | None = None,
        prefer: Sequence[str] = (),
        query_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The `k` best chunks for `query`, optionally only from the notes in `scope`."""
        import numpy as np

        if self.index.size == 0:
            return []
        rows_in_scope = np.asarray(self.index.rows_of_notes(list(scope)), dtype=np.int64) if scope else None
        if rows_in_scope is not None and len(rows_in_scope) == 0:
            return []
        dense_scores: dict[int, float] = {}
        lexical_scores: dict[int, float] = {}
        dense_rank: dict[int, int] = {}
        lexical_rank: dict[int, int] = {}
        all_lexical: np.ndarray = np.zeros(0, dtype=np.float32)
        if mode in ("hybrid", "dense"):
            vector = query_vector if query_vector is not None else self.embed(query)
            dense_scores, dense_rank = self._dense(vector, rows_in_scope)
        if mode in ("hybrid", "lexical"):
            lexical_scores, lexical_rank, all_lexical = self._lexical(query, rows_in_scope)
        named = self.named_notes(query) if mode == "hybrid" else []
        candidates = set(dense_rank) | set(lexical_rank)
        if mode == "hybrid" and named:
            candidates |= set(self.index.rows_of_notes(named)[:CANDIDATES])
            if rows_in_scope is not None:
                candidates &= set(rows_in_scope.tolist())
        if not candidates:
            return []
        records = {c.row: c for c in self.index.chunks(sorted(candidates))}
        if mode == "hybrid":
            missing = [r for r in candidates if r not in dense_scores]
            if missing:
                vector = query_vector if query_vector is not None else self.embed(query)
                for row, value in zip(missing, self.index.vectors_of(missing) @ vector, strict=True):
                    dense_scores[row] = float(value)
        if mode == "hybrid" and len(all_lexical):
            for row in candidates:
                lexical_scores.setdefault(row, float(all_lexical[row]))
        if mode == "hybrid":
            fused = self._fuse(candidates, dense_scores, lexical_scores)
        hits: list[Hit] = []
        for row in candidates:
            chunk = records[row]
            is_named = chunk.note_id in named
            if mode == "hybrid":
                score = fused[row] + (NAME_BOOST if is_named else 0.0)
                if chunk.note_id in prefer and not named:
                    score += PREFER_BOOST
            elif mode == "dense":
                score = dense_scores.get(row, 0.0)
            else:
                score = lexical_scores.get(row, 0.0)
            hits.append(Hit(chunk, score, dense_scores.get(row, 0.0), lexical_scores.get(row, 0.0), is_named))
        hits.sort(key=lambda h: (-h.score, h.chunk.row))
        if self.reranker is not None and mode == "hybrid" and query:
            hits = self.reranker.rerank(query, hits)
        return hits[:k]

    def _fuse(self, rows: set[int], dense: dict[int, float], lexical: dict[int, float]) -> dict[int, float]:
        """Convex combination of min-max normalised dense and BM25 scores over the candidates."""
        def normalised(values: dict[int, float]) -> dict[int, float]:
            found = [values.get(r, 0.0) for r in rows]
            low, high = min(found), max(found)
            span = (high - low) or 1.0
            return {r: (values.get(r, 0.0) - low) / span for r in rows}

        d, lx = normalised(dense), normalised(lexical)
        return {r: DENSE_WEIGHT * d[r] + (1.0 - DENSE_WEIGHT) * lx[r] for r in rows}

    def _dense(self, vector: np.ndarray, rows: np.ndarray | None) -> tuple[dict[int, float], dict[int, int]]:
        import numpy as np

        if rows is not None:
            sims = self.index.vectors_of(rows.tolist()) @ vector
            order = np.argsort(-sims)[:CANDIDATES]
            pairs = [(int(rows[i]), float(sims[i])) for i in order]
        else:
            assert self.index.vector_index is not None
            scores, found = vectors.search(self.index.vector_index, vector[None, :], CANDIDATES)
            pairs = [(int(r), float(s)) for r, s in zip(found[0], scores[0], strict=True) if r >= 0]
        return dict(pairs), {row: rank for rank, (row, _) in enumerate(pairs)}

    def _lexical(self, query: str, rows: np.ndarray | None) -> tuple[dict[int, float], dict[int, int], np.ndarray]:
        import numpy as np

        scores = self.index.lexical.scores(query)
        if len(scores) == 0:
            return {}, {}, scores
        if rows is not None:
            masked = np.zeros_like(scores)
            masked[rows] = scores[rows]
            scores = masked
        count = min(CANDIDATES, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        pairs = [(int(r), float(scores[r])) for r in top if scores[r] > 0]
        return dict(pairs), {row: rank for rank, (row, _) in enumerate(pairs)}, scores


def _note_names(index: StoredIndex) -> list[tuple[str, str]]:
    """(lowercased name, note id) for titles, short titles and aliases, longest first.

    A name that other notes' names contain as a part ("SAM" in "MobileSAM", "HQ-SAM") is
    ambiguous and left out: naming it does not single out one note.
    """
    from indexer.lexical import tokenize

    names: dict[str, str] = {}
    terms_by_note: dict[str, set[str]] = {}
    terms_of: dict[str, set[str]] = {}
    for note in index.notes.values():
        candidates = [note.title, note.title.split(":")[0], note.id.rsplit("/", 1)[-1].replace("-", " ")]
        candidates += [str(a) for a in note.meta.get("aliases", []) or []]
        for name in candidates:
            name = name.strip().lower()
            if name not in terms_of:
                terms_of[name] = set(tokenize(name))
            terms_by_note.setdefault(note.id, set()).update(terms_of[name])
            if len(name) >= 3 and name not in names:
                names[name] = note.id
    notes_by_term: dict[str, set[str]] = {}
    for note_id, known in terms_by_note.items():
        for term in known:
            notes_by_term.setdefault(term, set()).add(note_id)
    unambiguous = {}
    generic = {"model", "paper", "network", "method", "net", "approach"}
    for name, note_id in names.items():
        terms = terms_of[name] - generic
        if not terms:
            continue
        sharing = set.intersection(*(notes_by_term.get(t, set()) for t in terms)) - {note_id}
        if not sharing:
            unambiguous[name] = note_id
    return sorted(unambiguous.items(), key=lambda kv: -len(kv[0]))
