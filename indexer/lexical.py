"""BM25 over chunk texts: built with bm25s, stored as memory-mapped arrays and scored with numpy alone.

Building uses bm25s (its Lucene-style scores, k1=1.2, b=0.5). The saved index is its score matrix,
one posting list per term, with the terms sorted: opening it maps four arrays and reads two small
files (no scipy, no vocabulary parsed into a dict), a term is found by binary search, and a
query's score is the sum of its terms' posting lists, added in the order bm25s adds them, so scores
are bit-identical to `bm25s.BM25.get_scores` (tests/indexer/test_lexical.py).
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import IndexCorruptError
from indexer.imports import heavy

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

FORMAT = 2
"""Version of the saved files (1: bm25s's own save format, still read; 2: sorted terms, memory-mapped)."""
K1, B = 1.2, 0.5
"""b=0.5: chunks are short; measured on the eval set."""
LOOKUPS_KEPT = 50_000
"""Term lookups a mapped index remembers (a few MB); questions and the answers' checks repeat words."""
FILES = ("format.json", "terms.txt", "term_offsets.npy", "indptr.npy", "rows.npy", "scores.npy")
"""What `save` writes (format 2)."""

_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)
_COMPOUND_SPLIT = re.compile(r"(?<=[a-z]{3})(?=[A-Z])|(?<=[A-Za-z]{2})(?=\d{3,})")
_HYPHENATED = re.compile(r"\b([A-Za-z]+)-([A-Za-z0-9]+)\b")
_BM25S_STOPWORDS_EN = (
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "will", "with",
)  # fmt: skip
"""bm25s.stopwords.STOPWORDS_EN, copied so that tokenizing a query never imports bm25s (a test checks they agree)."""
STOPWORDS = frozenset(_BM25S_STOPWORDS_EN) | {"paper", "papers", "note", "notes", "vs", "e.g", "i.e"}


def _normalise(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lowercased terms without stop words; compound names also yield their parts."""
    terms: list[str] = []
    for word in _WORD.findall(text.replace("-", " - ")):
        terms.extend(_word_terms(word))
    if "-" in text:
        terms.extend(f"{a}{b}".lower() for a, b in _HYPHENATED.findall(text))
    return terms


@lru_cache(maxsize=100_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """The terms of one word: none for a stop word, else the word normalised, then its compound parts.

    Cached: words repeat (in a question's candidate sentences, in a collection's passages), and this
    is most of tokenizing. Only a word with a capital or a digit can split ("MobileSAM", "YOLO9000").
    """
    if word.lower() in STOPWORDS:
        return ()
    terms = [_normalise(word)]
    if not (word.isalpha() and word.islower()):
        parts = _COMPOUND_SPLIT.split(word)
        if len(parts) > 1:
            terms.extend(_normalise(p) for p in parts if p.lower() not in STOPWORDS and len(p) > 1)
    return tuple(terms)


def _known(vocab: dict[str, int], terms: int) -> dict[str, int]:
    """bm25s's vocabulary without the empty token it appends past the end of its score matrix."""
    return {str(term): int(i) for term, i in vocab.items() if 0 <= int(i) < terms and term}


class _SortedTerms(Sequence[str]):
    """The sorted vocabulary as a sequence read lazily from the mapped terms file (for bisect)."""

    def __init__(self, blob: bytes | memoryview, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return bytes(self._blob[start:end]).decode("utf-8")

    def index_of(self, term: str) -> int | None:
        position = bisect.bisect_left(self, term)
        return position if position < len(self) and self[position] == term else None


class LexicalIndex:
    """A BM25 index whose document numbers are chunk rows: one posting list (rows, scores) per term."""

    def __init__(
        self,
        size: int,
        terms: _SortedTerms | dict[str, int],
        indptr: np.ndarray | None,
        rows: np.ndarray | None,
        scores: np.ndarray | None,
    ) -> None:
        self.size = size
        self._terms = terms
        self._indptr = indptr
        self._rows = rows
        self._scores = scores
        self._sorted: Sequence[str] | None = terms if isinstance(terms, _SortedTerms) else None
        self._ids: dict[str, int | None] = {}
        """Terms looked up in the mapped vocabulary so far (queries repeat their words); at most LOOKUPS_KEPT."""

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """Index `texts` (one per chunk row) with bm25s; terms are renumbered in sorted order."""
        import numpy as np

        corpus = [tokenize(t) or ["∅"] for t in texts]
        if not corpus:
            return cls(0, {}, None, None, None)
        heavy("bm25s")  # one thread at a time (see indexer.imports)
        import bm25s  # deferred: it imports scipy; only builds need it

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        model = bm25s.BM25(k1=K1, b=B)
        model.index(corpus, show_progress=False)
        data, indices, indptr = (np.asarray(model.scores[k]) for k in ("data", "indices", "indptr"))
        vocab = _known(model.vocab_dict, len(indptr) - 1)
        ordered = sorted(vocab)
        old_ids = np.fromiter((vocab[t] for t in ordered), dtype=np.int64, count=len(ordered))
        lengths = (indptr[1:] - indptr[:-1]).astype(np.int64)[old_ids]
        new_indptr = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum(lengths, out=new_indptr[1:])
        # Positions of each term's old posting list, concatenated in the new term order.
        starts = indptr[:-1].astype(np.int64)[old_ids]
        take = np.repeat(starts - new_indptr[:-1], lengths) + np.arange(int(new_indptr[-1]), dtype=np.int64)
        terms = {t: i for i, t in enumerate(ordered)}
        index = cls(
            len(texts), terms, new_indptr,
            np.ascontiguousarray(indices[take], dtype=np.int32), np.ascontiguousarray(data[take], dtype=np.float32),
        )
        index._sorted = ordered
        return index

    @classmethod
    def from_postings(cls, size: int, postings: dict[str, list[tuple[int, float]]]) -> LexicalIndex:
        """An index of ready posting lists (term → (row, score) with each row once), laid out as `save` writes it."""
        import numpy as np

        ordered = sorted(postings)
        indptr = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum([len(postings[t]) for t in ordered], out=indptr[1:])
        pairs = [pair for t in ordered for pair in postings[t]]
        rows = np.fromiter((r for r, _ in pairs), dtype=np.int32, count=len(pairs))
        scores = np.fromiter((s for _, s in pairs), dtype=np.float32, count=len(pairs))
        index = cls(size, {t: i for i, t in enumerate(ordered)}, indptr, rows, scores)
        index._sorted = ordered
        return index

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (raw .npy arrays, a sorted term list and JSON; no pickle)."""
        import numpy as np

        folder.mkdir(parents=True, exist_ok=True)
        ordered = list(self._sorted or sorted(self._terms))
        encoded = [t.encode("utf-8") for t in ordered]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        if encoded:
            np.cumsum([len(e) for e in encoded], out=offsets[1:])
        (folder / "terms.txt").write_bytes(b"".join(encoded))
        np.save(folder / "term_offsets.npy", offsets)
        empty_i, empty_f = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        np.save(folder / "indptr.npy", self._indptr if self._indptr is not None else np.zeros(1, dtype=np.int64))
        np.save(folder / "rows.npy", self._rows if self._rows is not None else empty_i)
        np.save(folder / "scores.npy", self._scores if self._scores is not None else empty_f)
        meta = {"format": FORMAT, "size": self.size, "terms": len(ordered), "k1": K1, "b": B}
        (folder / "format.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, folder: Path, *, expected_size: int) -> LexicalIndex:
        """Open an index saved by `save` (memory-mapped); damage or a size mismatch is IndexCorruptError."""
        try:
            index = cls._open(folder) if (folder / "format.json").exists() else cls._open_bm25s(folder)
        except IndexCorruptError:
            raise
        except Exception as error:  # numpy/json errors of any kind mean a damaged file
            raise IndexCorruptError(
                f"keyword index in {folder} is damaged ({type(error).__name__})",
                "run: papernotes index --rebuild",
            ) from error
        if index.size != expected_size:
            raise IndexCorruptError(
                f"keyword index in {folder} has {index.size} entries, the database expects {expected_size}",
                "run: papernotes index --rebuild",
            )
        return index

    @classmethod
    def _open(cls, folder: Path) -> LexicalIndex:
        import mmap

        import numpy as np

        meta = json.loads((folder / "format.json").read_text())
        if int(meta["format"]) != FORMAT:
            raise ValueError(f"format {meta['format']}")
        size, count = int(meta["size"]), int(meta["terms"])
        offsets = np.load(folder / "term_offsets.npy", mmap_mode="r", allow_pickle=False)
        indptr = np.load(folder / "indptr.npy", mmap_mode="r", allow_pickle=False)
        rows = np.load(folder / "rows.npy", mmap_mode="r", allow_pickle=False)
        scores = np.load(folder / "scores.npy", mmap_mode="r", allow_pickle=False)
        with open(folder / "terms.txt", "rb") as handle:
            length = handle.seek(0, 2)
            blob: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if length else b""
        consistent = (
            offsets.shape == (count + 1,) and indptr.shape == (count + 1,) and rows.shape == scores.shape
            and rows.ndim == 1 and int(offsets[-1]) == length and int(indptr[-1]) == len(rows)
            and rows.dtype == np.int32 and scores.dtype == np.float32
        )
        if not consistent:
            raise ValueError("arrays of inconsistent shapes")
        # Plain ndarray views of the same mapped pages: indexing a np.memmap runs Python code per element
        # (a term lookup reads ~12 offsets, a query term two indptr entries).
        offsets, indptr, rows, scores = (np.asarray(a) for a in (offsets, indptr, rows, scores))
        return cls(size, _SortedTerms(blob, offsets), indptr, rows, scores)

    @classmethod
    def _open_bm25s(cls, folder: Path) -> LexicalIndex:
        """Format 1 (bm25s's save format), read with numpy alone: indexes built before format 2."""
        import numpy as np

        size = int(json.loads((folder / "size.json").read_text())["size"])
        if not size:
            return cls(0, {}, None, None, None)
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        arrays = [
            np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in ("indptr", "indices", "data")
        ]
        return cls(size, _known(vocab, len(arrays[0]) - 1), arrays[0], arrays[1], arrays[2])

    def _id(self, term: str) -> int | None:
        terms = self._terms
        if isinstance(terms, dict):
            return terms.get(term)
        known = self._ids.get(term, -1)
        if known == -1:  # a binary search over the mapped terms file: ~12 reads of it, so remember the answer
            known = terms.index_of(term)
            if len(self._ids) >= LOOKUPS_KEPT:
                self._ids.clear()
            self._ids[term] = known
        return known

    def knows(self, term: str) -> bool:
        """Whether `term` (as tokenized) is a term of the index, or the start of one (3+ characters)."""
        if self._id(term) is not None:
            return True
        if len(term) < 3:
            return False
        if self._sorted is None:
            self._sorted = sorted(self._terms)
        position = bisect.bisect_left(self._sorted, term)
        return position < len(self._sorted) and self._sorted[position].startswith(term)

    def rows_with_all(self, terms: Sequence[str]) -> np.ndarray | None:
        """Rows whose text has every one of `terms` (from the posting lists); None if one is unknown or the index is empty."""
        import numpy as np

        ids = [self._id(term) for term in terms]
        if not ids or any(i is None for i in ids) or not self.size or self._indptr is None or self._rows is None:
            return None
        result: np.ndarray | None = None
        for i in ids:
            posting = np.asarray(self._rows[int(self._indptr[i]) : int(self._indptr[i + 1])])
            result = posting if result is None else np.intersect1d(result, posting, assume_unique=True)
        return result

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for `query` (zeros when no term is known).

        Each known query term (repeats included) adds its posting list's scores, in query order,
        into float32 zeros: the additions bm25s makes, in its order.
        """
        return self.term_scores(tokenize(query))

    def term_scores(self, terms: Sequence[str]) -> np.ndarray:
        """The score of every row for terms already tokenized (`scores` without the tokenizer)."""
        import numpy as np

        if not self.size:
            return np.zeros(0, dtype=np.float32)
        out = np.zeros(self.size, dtype=np.float32)
        if self._indptr is None or self._rows is None or self._scores is None:
            return out
        for term in terms:
            i = self._id(term)
            if i is None:
                continue
            start, end = int(self._indptr[i]), int(self._indptr[i + 1])
            out[self._rows[start:end]] += self._scores[start:end]  # rows are unique within a posting list
        return out
