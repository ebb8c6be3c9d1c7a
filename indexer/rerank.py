"""Optional cross-encoder reranking of retrieved passages (a local model the user configures)."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from indexer.embedding import _find_in_hf_cache
from indexer.errors import ModelError
from indexer.retrieval import Hit

logger = logging.getLogger(__name__)

RERANK_DEPTH = 20
"""How many fused hits the cross-encoder re-orders."""


class Reranker:
    """A sentence-transformers CrossEncoder loaded offline from a folder or the local HF cache."""

    def __init__(self, name_or_path: str) -> None:
        folder = Path(name_or_path).expanduser()
        if not folder.is_dir():
            cached = _find_in_hf_cache(name_or_path) if "/" in name_or_path else None
            if cached is None:
                raise ModelError(
                    f"reranker {name_or_path!r} is not a folder and is not in the local Hugging Face cache",
                    "papernotes never downloads models: pass a local cross-encoder folder",
                )
            folder = cached
        self.name = name_or_path
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            # Deferred: imports torch (seconds); only users who configure a reranker pay for it.
            from sentence_transformers import CrossEncoder

            self.model = CrossEncoder(str(folder), device="cpu", local_files_only=True, trust_remote_code=False)
        except Exception as error:  # any loading failure is the same thing to the user
            raise ModelError(f"cannot load reranker {name_or_path!r} from {folder}: {error}") from error

    def rerank(self, query: str, hits: Sequence[Hit]) -> list[Hit]:
        """The first RERANK_DEPTH hits re-ordered by cross-encoder score (which becomes their score)."""
        head, tail = list(hits[:RERANK_DEPTH]), list(hits[RERANK_DEPTH:])
        if not head:
            return list(hits)
        pairs = [(query, f"{h.chunk.context}\n{h.chunk.text}") for h in head]
        scores = self.model.predict(pairs, show_progress_bar=False, convert_to_numpy=True)
        rescored = [dataclasses.replace(h, score=float(s)) for h, s in zip(head, scores, strict=True)]
        rescored.sort(key=lambda h: (-h.score, h.chunk.row))
        return rescored + tail
