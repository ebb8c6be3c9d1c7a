"""Answers re-asked as people type them: every question of both sets with a prefix, a suffix, in lower case, without "?".

    python -m bench.robustness [--collection DIR]

Prints, per set and variant, retrieval's hit@1 and MRR, the share of answers holding the fact and
the refusals (the table in docs/ANSWERS.md); see indexer/eval_variants.py for the variants.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.eval_sets import eval_sets
from indexer.eval_variants import evaluate_variants, variants_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", type=Path, default=None, help="papers_we_read folder (default: $PAPERNOTES_SHARED_CORPORA/papers_we_read)")
    args = parser.parse_args()
    sets = [(s.name, evaluate_variants(s.kb, s.questions)) for s in eval_sets(args.collection)]
    print(variants_table(sets))


if __name__ == "__main__":
    main()
