"""Synthetic collections for sizes the shipped notes can't reach: clustered vectors and note-like text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bench import CONTENT

if TYPE_CHECKING:
    import numpy as np

DIMENSION = 384
_MEAN_WEIGHT = 0.55
_TOPIC_WEIGHT = 0.55
_SPECTRUM = 0.5
"""Noise falls off as 1/i^0.5 over dimensions. With the weights above, random pairs have cosine ~0.2
and a query's 1st / 10th neighbour ~0.6 / 0.5 at 2k vectors: close to MiniLM on the shipped notes
(0.41 / 0.59 / 0.43), and harder for approximate search than well-separated clusters."""


def vectors(count: int, *, seed: int = 1, dimension: int = DIMENSION) -> np.ndarray:
    """`count` L2-normalised float32 vectors: a shared direction + one of √count topics + noise."""
    import numpy as np

    fixed = np.random.default_rng(12345)  # the same topics for documents and queries
    mean = fixed.standard_normal(dimension).astype(np.float32)
    mean /= np.linalg.norm(mean)
    topics = max(8, int(np.sqrt(max(count, 1))))
    centres = fixed.standard_normal((topics, dimension)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    scale = np.arange(1, dimension + 1, dtype=np.float32) ** -_SPECTRUM
    scale /= np.linalg.norm(scale)
    rng = np.random.default_rng(seed)
    out = np.empty((count, dimension), dtype=np.float32)
    for start in range(0, count, 100_000):
        size = min(count, start + 100_000) - start
        x = rng.standard_normal((size, dimension)).astype(np.float32) * scale
        x += _MEAN_WEIGHT * mean + _TOPIC_WEIGHT * centres[rng.integers(0, topics, size)]
        out[start : start + size] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def exact_neighbours(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the true top-k by inner product (brute force, in blocks to bound memory)."""
    import numpy as np

    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(base), 200_000):
        scores = queries @ base[start : start + 200_000].T
        rows = np.broadcast_to(np.arange(start, start + scores.shape[1]), scores.shape)
        scores = np.concatenate([best_scores, scores], axis=1)
        rows = np.concatenate([best_rows, rows], axis=1)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_rows = np.take_along_axis(rows, top, axis=1)
    order = np.argsort(-best_scores, axis=1)
    return np.take_along_axis(best_rows, order, axis=1)


def recall_at(found: np.ndarray, truth: np.ndarray, k: int = 10) -> float:
    """Mean share of the true top-k that the search returned in its top-k."""
    hits = [len(set(f[:k].tolist()) & set(t[:k].tolist())) for f, t in zip(found, truth, strict=True)]
    return sum(hits) / (k * max(1, len(hits)))


@lru_cache(maxsize=1)
def _sentences() -> tuple[str, ...]:
    """Prose sentences of the shipped notes (no headings, tables or front matter)."""
    found: list[str] = []
    for path in sorted(CONTENT.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
        for line in text.splitlines():
            line = line.strip().lstrip("-* ").strip()
            if len(line) < 40 or line.startswith(("#", "|", "!", "`", ">")):
                continue
            found.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.strip()) > 30)
    return tuple(found)


def passages(count: int, *, seed: int = 1, sentences: int = 5) -> list[str]:
    """`count` note-like passages: `sentences` real sentences each, plus a unique marker word."""
    import numpy as np

    pool = _sentences()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(pool), size=(count, sentences))
    return [" ".join(pool[j] for j in row) + f" Marker{i}." for i, row in enumerate(picks)]
