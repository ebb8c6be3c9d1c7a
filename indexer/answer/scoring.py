"""Scoring candidates: a logistic regression over `features.FEATURES`, fitted on labelled sentences.

The coefficients live in `weights.py`, written by `scripts/fit_answer_model.py` from the
sentences of both evaluation sets that hold each question's keys (see docs/ANSWERS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexer.answer import weights
from indexer.answer.candidates import Candidate
from indexer.answer.features import FEATURES


@dataclass(frozen=True)
class Model:
    """Standardisation and coefficients of the sentence scorer, in FEATURES order."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def logit(self, row: Sequence[float]) -> float:
        """The log-odds that the sentence holds the answer."""
        total = self.intercept
        for x, m, s, c in zip(row, self.mean, self.scale, self.coef, strict=True):
            total += c * (x - m) / s
        return total


def load_model(data: dict[str, object] | None = None) -> Model:
    """The model in `weights.MODEL` (or `data` of the same shape); features must match FEATURES."""
    data = data if data is not None else weights.MODEL
    names = tuple(data["features"])  # type: ignore[arg-type]
    if names != FEATURES:
        raise ValueError(f"answer weights are for features {names}, not {FEATURES}: rerun scripts/fit_answer_model.py")
    return Model(
        tuple(float(v) for v in data["mean"]),  # type: ignore[union-attr]
        tuple(float(v) for v in data["scale"]),  # type: ignore[union-attr]
        tuple(float(v) for v in data["coef"]),  # type: ignore[union-attr]
        float(data["intercept"]),  # type: ignore[arg-type]
    )


_model: Model | None = None


def current_model() -> Model:
    """The shipped model, loaded once."""
    global _model
    if _model is None:
        _model = load_model()
    return _model


def use_model(model: Model | None) -> None:
    """Score with `model` from now on (None: the shipped one); for fitting and cross-set checks."""
    global _model
    _model = model


def score_candidates(candidates: Sequence[Candidate], rows: Sequence[Sequence[float]]) -> list[Candidate]:
    """The candidates with their probability of holding the answer, best first."""
    import numpy as np

    if not candidates:
        return []
    model = current_model()
    z = (np.asarray(rows, dtype=np.float64) - np.asarray(model.mean)) / np.asarray(model.scale)
    logits = np.clip(z @ np.asarray(model.coef) + model.intercept, -30.0, 30.0)
    probabilities = 1.0 / (1.0 + np.exp(-logits))
    scored = [replace(c, score=float(p)) for c, p in zip(candidates, probabilities, strict=True)]
    scored.sort(key=lambda c: -c.score)
    return scored
