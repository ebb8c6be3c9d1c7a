"""Retrieval of the system beside a plain baseline (200-word windows, dense + BM25, RRF) on both evaluation sets.

    python -m bench.baseline_retrieval [--collection DIR]

The baseline is indexer/baseline.py: every note's text in fixed 200-word windows, embedded with
the same packaged model, BM25 with bm25s defaults, reciprocal-rank fusion (k = 60). The system is
`papernotes` hybrid retrieval. Both rank notes for the answerable questions of tests/eval/questions.jsonl
(over content/) and tests/eval/papers_we_read.jsonl (over ../shared/corpora/papers_we_read).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench import arguments, report, table
from bench.eval_sets import eval_sets
from indexer.evaluation import EvalResult, evaluate, evaluate_baseline


def main(argv: Sequence[str] | None = None) -> str:
    """Print and return the side-by-side table."""
    args = arguments(__doc__.splitlines()[0], lambda p: p.add_argument("--collection", type=Path, default=None), argv)
    rows: list[list[object]] = []
    for found in eval_sets(args.collection):
        results: list[tuple[str, EvalResult]] = [
            ("baseline", evaluate_baseline(found.kb, found.questions)),
            ("system (hybrid)", evaluate(found.kb, found.questions, mode="hybrid")),
        ]
        for label, result in results:
            rows.append([found.name, label, f"{result.hit_at_1:.3f}", f"{result.hit_at_3:.3f}", f"{result.mrr:.3f}", result.answerable])
    body = table(["set", "retrieval", "hit@1", "hit@3", "MRR", "questions"], rows)
    return report("Retrieval: system beside a plain baseline", body)


if __name__ == "__main__":
    main()
