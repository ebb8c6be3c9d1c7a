"""BM25 over chunk texts (bm25s), with a tokenizer that splits names like MobileSAM and YOLO9000."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import IndexCorruptError

if TYPE_CHECKING:
    import bm25s
    import numpy as np

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)
_COMPOUND_SPLIT = re.compile(r"(?<=[a-z]{3})(?=[A-Z])|(?<=[A-Za-z]{2})(?=\d{3,})")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | {"paper", "papers", "note", "notes", "vs", "e.g", "i.e"}


def _normalise(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lowercased terms without stop words; compound names also yield their parts."""
    stop = _stopwords()
    terms: list[str] = []
    for match in _WORD.finditer(text.replace("-", " - ")):
        word = match.group(0)
        lowered = word.lower()
        if lowered in stop:
            continue
        terms.append(_normalise(word))
        parts = _COMPOUND_SPLIT.split(word)
        if len(parts) > 1:
            terms.extend(_normalise(p) for p in parts if p.lower() not in stop and len(p) > 1)
    compact = re.findall(r"\b([A-Za-z]+)-([A-Za-z0-9]+)\b", text)
    terms.extend(f"{a}{b}".lower() for a, b in compact)
    return terms


class LexicalIndex:
    """A BM25 index whose document numbers are chunk rows."""

    def __init__(self, model: bm25s.BM25, size: int) -> None:
        self.model = model
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """Index `texts` (one per chunk row)."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        model = bm25s.BM25(k1=1.2, b=0.5)  # b=0.5: chunks are short; measured on the eval set
        corpus = [tokenize(t) or ["∅"] for t in texts]
        if corpus:
            model.index(corpus, show_progress=False)
        return cls(model, len(texts))

    def save(self, folder: Path) -> None:
        """Write the index into `folder` (numpy arrays and JSON; no pickle)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.size:
            self.model.save(str(folder), show_progress=False)
        (folder / "size.json").write_text(json.dumps({"size": self.size}))

    @classmethod
    def load(cls, folder: Path, *, expected_size: int) -> LexicalIndex:
        """Read an index saved by `save`; damage or a size mismatch is IndexCorruptError."""
        import bm25s

        try:
            size = int(json.loads((folder / "size.json").read_text())["size"])
            model = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if size else bm25s.BM25()
        except Exception as error:  # numpy/json errors of any kind mean a damaged file
            raise IndexCorruptError(
                f"keyword index in {folder} is damaged ({type(error).__name__})",
                "run: papernotes index --rebuild",
            ) from error
        if size != expected_size:
            raise IndexCorruptError(
                f"keyword index in {folder} has {size} entries, the database expects {expected_size}",
                "run: papernotes index --rebuild",
            )
        return cls(model, size)

    def knows(self, term: str) -> bool:
        """Whether `term` (as tokenized) is a term of the index, or the start of one (3+ characters)."""
        import bisect

        vocab = getattr(self.model, "vocab_dict", None) or {}
        if term in vocab:
            return True
        if len(term) < 3:
            return False
        if getattr(self, "_sorted_vocab", None) is None:
            self._sorted_vocab = sorted(vocab)
        position = bisect.bisect_left(self._sorted_vocab, term)
        return position < len(self._sorted_vocab) and self._sorted_vocab[position].startswith(term)

    def rows_with_all(self, terms: Sequence[str]) -> np.ndarray | None:
        """Rows whose text has every one of `terms` (from the posting lists); None if one is unknown or the index is empty."""
        import numpy as np

        vocab = getattr(self.model, "vocab_dict", None) or {}
        ids = [vocab.get(term) for term in terms]
        if not ids or any(i is None for i in ids) or not self.size:
            return None
        indices, indptr = self.model.scores["indices"], self.model.scores["indptr"]
        rows: np.ndarray | None = None
        for i in ids:
            posting = np.asarray(indices[indptr[i] : indptr[i + 1]])
            rows = posting if rows is None else np.intersect1d(rows, posting, assume_unique=True)
        return rows

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for `query` (zeros when no term is known)."""
        import numpy as np

        if not self.size:
            return np.zeros(0, dtype=np.float32)
        terms = [t for t in tokenize(query) if t in self.model.vocab_dict]
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(terms), dtype=np.float32)
