"""Hybrid retrieval: dense (FAISS) and BM25 ranks fused, with note names, scopes and follow-up context."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from indexer import vectors
from indexer.embedding import Encoder
from indexer.fields import NoteFields, heading_terms, note_fields
from indexer.framing import strip_framing
from indexer.fusion import Fusion, FusionFeatures, fuse
from indexer.lexical import tokenize
from indexer.names import NameMatcher, exact_names
from indexer.store import StoredChunk, StoredIndex

if TYPE_CHECKING:
    import numpy as np

    from indexer.rerank import Reranker

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")
CANDIDATES = 40
SENTENCE_CACHE = 20_000
PREFER_BOOST = 0.15
"""Added for the previous answer's notes when a question is a follow-up."""
NAMES_RULE = "3"
"""Version of `_note_names`: bump it when the rule changes, so names a build stored with an older rule are derived again."""
FAMILY = 2
"""A note's own name that this many other notes build their names on is a family name ("SAM"), not one note's."""
_QUESTION_START = re.compile(
    r"\s*(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|will|has|have)\b",
    re.IGNORECASE,
)
"""The words a question starts with (English): a text that starts so and has no final mark lacks its "?"."""


def _per_note(field: NoteFields, terms: Sequence[str], note_ids: Sequence[str]) -> np.ndarray:
    import numpy as np

    scores = field.scores(terms)
    return np.asarray([scores[field.position[n]] if n in field.position else 0.0 for n in note_ids], dtype=np.float32)


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

    def __init__(
        self, index: StoredIndex, encoder: Encoder, reranker: Reranker | None = None, fusion: Fusion | None = None
    ) -> None:
        self.index = index
        self.fusion = fusion or Fusion()
        self._note_fields: tuple[NoteFields, NoteFields] | None = None
        self.encoder = encoder
        self.reranker = reranker
        self._sentence_cache: dict[str, np.ndarray] = {}
        self._spans: dict[str, list[tuple[int, int, str]]] = {}
        stored = index.stored_names(NAMES_RULE) if hasattr(index, "stored_names") else None
        self._names = NameMatcher(dict(stored if stored is not None else _note_names(index)))  # derived at open: ~0.7 s per 10k notes
        self._name_ids = self._names.ids
        self._called: NameMatcher | None = None

    def embed(self, text: str) -> np.ndarray:
        """The query vector for `text`: without conversational framing (indexer/framing.py), a question with its "?"."""
        return self.encoder.encode_queries([as_question(strip_framing(text))])[0]

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
        """Ids of notes whose title or alias the query names, in the order the query names them."""
        return list(dict.fromkeys(note_id for _, _, note_id in self.name_spans(query)))

    def name_spans(self, query: str) -> list[tuple[int, int, str]]:
        """(start, end, note id) of every name in the query, left to right, the longest name at each place."""
        known = self._spans.get(query)
        if known is None:  # asked twice per question (the answer's scope, then the search)
            if len(self._spans) >= 64:
                self._spans.clear()
            known = self._spans[query] = self._find_spans(query)
        return list(known)

    def _find_spans(self, query: str) -> list[tuple[int, int, str]]:
        return self._names.spans(query)

    def notes_called(self, query: str) -> list[str]:
        """Ids of notes the query calls by a name of their own, in the order it names them: the names that
        single out a note (`named_notes`) and, besides, each note's own whole names (`names.exact_names`)
        even when a family of notes builds on them ("SAM": the Segment Anything note, not MobileSAM).

        Not a reason to rank a note higher ("the small SAM's encoder" is MobileSAM's); what tells an
        answer scoped to one note, or a follow-up, that the question is about another note.
        """
        return list(dict.fromkeys(note_id for _, _, note_id in self.calls(query)))

    def calls(self, query: str) -> list[tuple[int, int, str]]:
        """(start, end, note id) of every name `notes_called` finds in the query, left to right."""
        return self._calling().spans(query)

    def names_of(self, note_id: str) -> list[str]:
        """The lowercased names `notes_called` knows the note `note_id` by."""
        return [name for name, owner in self._calling().ids.items() if owner == note_id]

    def _calling(self) -> NameMatcher:
        if self._called is None:  # on first use: only scoped questions and follow-ups ask (~0.1 s per 10k notes)
            self._called = NameMatcher({**exact_names(self.index.notes.values()), **self._name_ids})
        return self._called

    def search(
        self,
        query: str,
        *,
        k: int = 8,
        mode: Mode = "hybrid",
        scope: Sequence[str] | None = None,
        prefer: Sequence[str] = (),
        query_vector: np.ndarray | None = None,
        about: Sequence[str] = (),
    ) -> list[Hit]:
        """The `k` best chunks for `query`, optionally only from the notes in `scope`.

        `about`: notes taken as named although the query names none of them by a name that singles them
        out (a follow-up's paper: "and what about SAM?"); `prefer`: notes boosted when it names none.
        """
        import numpy as np

        if self.index.size == 0:
            return []
        query = strip_framing(query)  # "quick: …", "hey, …", "… thanks" ask what the question asks
        rows_in_scope = np.asarray(self.index.rows_of_notes(list(scope)), dtype=np.int64) if scope else None
        if rows_in_scope is not None and len(rows_in_scope) == 0:
            return []
        if mode == "hybrid":
            hits = self._hybrid(query, rows_in_scope, prefer, query_vector, about)
        else:
            hits = self._single(query, mode, rows_in_scope, query_vector)
        hits.sort(key=lambda h: (-h.score, h.chunk.row))
        if self.reranker is not None and mode == "hybrid" and query:
            hits = self.reranker.rerank(query, hits)
        return hits[:k]

    def features(self, query: str, *, query_vector: np.ndarray | None = None) -> FusionFeatures | None:
        """The hybrid candidates of `query` with every score fusion weighs (None when there are none)."""
        found = self._features(strip_framing(query), None, query_vector, headings=True)
        return found[0] if found else None

    def _hybrid(
        self,
        query: str,
        rows: np.ndarray | None,
        prefer: Sequence[str],
        query_vector: np.ndarray | None,
        about: Sequence[str] = (),
    ) -> list[Hit]:
        found = self._features(query, rows, query_vector, headings=bool(self.fusion.heading_weight), about=about)
        if found is None:
            return []
        features, records = found
        scores = fuse(features, self.fusion)
        hits: list[Hit] = []
        for i, row in enumerate(features.rows.tolist()):
            chunk = records[row]
            score = float(scores[i])
            if chunk.note_id in prefer and not features.names:
                score += PREFER_BOOST
            hits.append(Hit(chunk, score, float(features.dense[i]), float(features.lexical[i]), bool(features.named[i])))
        return hits

    def _features(
        self, query: str, rows: np.ndarray | None, query_vector: np.ndarray | None, *, headings: bool, about: Sequence[str] = ()
    ) -> tuple[FusionFeatures, dict[int, StoredChunk]] | None:
        """Candidates and their scores; the heading matches only when `headings` (zeros otherwise: a weight of 0 needs none)."""
        import numpy as np

        vector = query_vector if query_vector is not None else self.embed(query)
        dense_scores, dense_rank = self._dense(vector, rows)
        lexical_scores, lexical_rank, all_lexical = self._lexical(query, rows)
        spans = self.name_spans(query)
        named = list(dict.fromkeys([*(note_id for _, _, note_id in spans), *about]))
        candidates = set(dense_rank) | set(lexical_rank)
        if named:
            candidates |= set(self.index.rows_of_notes(named)[:CANDIDATES])
            if rows is not None:
                candidates &= set(rows.tolist())
        if not candidates:
            return None
        ordered = sorted(candidates)
        records = {c.row: c for c in self.index.chunks(ordered)}
        missing = [r for r in ordered if r not in dense_scores]
        if missing:
            for row, value in zip(missing, self.index.vectors_of(missing) @ vector, strict=True):
                dense_scores[row] = float(value)
        note_ids = [records[r].note_id for r in ordered]
        described = tokenize(_without_spans(query, spans))
        title, metadata = self._fields()
        query_terms = set(tokenize(query)) if headings else set()
        features = FusionFeatures(
            rows=np.asarray(ordered, dtype=np.int64),
            note_ids=note_ids,
            names=tuple(named),
            dense=np.asarray([dense_scores[r] for r in ordered], dtype=np.float32),
            lexical=np.asarray(
                [lexical_scores.get(r, float(all_lexical[r]) if len(all_lexical) else 0.0) for r in ordered],
                dtype=np.float32,
            ),
            named=np.asarray([n in named for n in note_ids], dtype=bool),
            title=_per_note(title, described, note_ids),
            metadata=_per_note(metadata, described, note_ids),
            heading=np.asarray(
                [len(query_terms & heading_terms(records[r].context)) / max(1, len(query_terms)) for r in ordered]
                if headings else np.zeros(len(ordered)),
                dtype=np.float32,
            ),
        )
        return features, records

    def _fields(self) -> tuple[NoteFields, NoteFields]:
        """The title and metadata fields of every note: as the build stored them, else built on first use."""
        if self._note_fields is None:
            stored = self.index.note_fields() if hasattr(self.index, "note_fields") else None
            self._note_fields = stored or note_fields(list(self.index.notes.values()))
        return self._note_fields

    def _single(self, query: str, mode: Mode, rows: np.ndarray | None, query_vector: np.ndarray | None) -> list[Hit]:
        """Dense only or BM25 only: the top candidates of one list, by its own score."""
        if mode == "dense":
            vector = query_vector if query_vector is not None else self.embed(query)
            scores, _ = self._dense(vector, rows)
        else:
            scores, _, _ = self._lexical(query, rows)
        if not scores:
            return []
        records = {c.row: c for c in self.index.chunks(sorted(scores))}
        return [
            Hit(records[row], score, score if mode == "dense" else 0.0, score if mode == "lexical" else 0.0, False)
            for row, score in scores.items()
        ]

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


def as_question(text: str) -> str:
    """`text` ending in "?" when it starts as a question does and ends without a mark ("how does X work" → "…work?").

    A question typed without its question mark asks the same; the model's vector of it differs a
    little, and it is the same vector that should find the same passages. Only the dense query
    changes: BM25 and names ignore punctuation.
    """
    stripped = text.rstrip()
    if stripped and stripped[-1] not in "?!." and _QUESTION_START.match(stripped):
        return stripped + "?"
    return text


def _without_spans(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """`text` with the characters of `spans` (found in `text.lower()`) blanked out: the names a question contains."""
    if len(text.lower()) != len(text):  # a few characters lengthen when lower-cased ("İ"): cut where spans were found
        text = text.lower()
    for start, end, _ in reversed(spans):
        text = f"{text[:start]} {text[end:]}"
    return text


def _note_names(index: StoredIndex) -> list[tuple[str, str]]:
    """(lowercased name, note id) for titles, short titles and aliases, longest first.

    A file name's words are joined by "-" or "_" ("Textual_inversion.md": "textual inversion", a name the
    note's title only ends with). A name that other notes' names contain as a part ("SAM" in "MobileSAM", "HQ-SAM") is
    ambiguous and left out: naming it does not single out one note. Unless it is one note's own
    name as a whole (`names.exact_names`: an alias, a title, a file name written as a name) that
    only one other note builds its name on: "cyclegan" (the file name of the CycleGAN note;
    "Cycle-Dehaze: Enhanced CycleGAN" is another's title), "ViT" (beside "TinyViT"). A name
    several notes build on is a family's ("SAM": MobileSAM, HQ-SAM, EfficientSAM, FastSAM), and a
    question saying it as often means one of the family ("the small SAM's encoder"): counted, it
    moved three content/ questions to the SAM note (docs/ANSWERS.md, "Names").
    """
    notes = list(index.notes.values())
    names: dict[str, str] = {}
    terms_by_note: dict[str, set[str]] = {}
    terms_of: dict[str, set[str]] = {}
    for note in notes:
        stem = note.id.rsplit("/", 1)[-1]
        candidates = [note.title, note.title.split(":")[0], stem.replace("-", " "), stem.replace("_", " ")]
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
    exact = exact_names(notes)
    unambiguous = {}
    generic = {"model", "paper", "network", "method", "net", "approach"}
    for name, note_id in [*names.items(), *exact.items()]:
        terms = (terms_of[name] if name in terms_of else set(tokenize(name))) - generic
        if not terms or name in unambiguous:
            continue
        sharing = set.intersection(*(notes_by_term.get(t, set()) for t in terms)) - {note_id}
        if not sharing or (exact.get(name) == note_id and len(sharing) < FAMILY):
            unambiguous[name] = note_id
    return sorted(unambiguous.items(), key=lambda kv: -len(kv[0]))
