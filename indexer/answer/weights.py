"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand)."""

from __future__ import annotations

MODEL: dict[str, object] = {
    "features": ('meaning', 'meaning_gap', 'words', 'context_words', 'passage_meaning', 'passage_rank', 'best_note', 'number', 'asked_number', 'asked_metric', 'asked_comparison', 'reference', 'short', 'length', 'names_note', 'asked_name', 'asked_naming', 'asked_list', 'asked_count', 'pronoun', 'early', 'overview'),
    "mean": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "scale": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    "coef": [5.5, 0.0, 1.0, 0.0, 1.0, 0.6, 0.0, 0.0, 1.0, 0.0, 0.8, -1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    "intercept": -3.0,
}
