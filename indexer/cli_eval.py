"""`papernotes eval`: retrieval and answer quality on a question file, on the notes or an outside collection."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING

from indexer.cli_ask import ensure_index

if TYPE_CHECKING:
    from indexer.knowledge import KnowledgeBase


def cmd_eval(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes eval`: retrieval and answer quality on a question file."""
    from indexer.evaluation import evaluate, format_table, load_questions

    questions = load_questions(args.questions)
    if args.collection is not None:
        from indexer.eval_collection import import_collection
        from indexer.knowledge import KnowledgeBase

        notes_dir = import_collection(args.collection)
        print(f"collection {args.collection} imported into {notes_dir}", file=sys.stderr)
        kb = KnowledgeBase(notes_dir, model=args.model, reranker=args.reranker, precision=args.precision)
    ensure_index(kb)
    modes = ("dense", "lexical", "hybrid") if args.compare else ("hybrid",)
    started = time.perf_counter()
    results = [evaluate(kb, questions, mode=m) for m in modes]
    if args.compare:
        from indexer.evaluation import evaluate_baseline

        results.insert(0, evaluate_baseline(kb, questions))
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2))
    else:
        print(format_table(results))
        print(f"\n{len(questions)} questions, {time.perf_counter() - started:.1f} s")
    if args.write:
        from indexer.eval_report import SetResults, write_report

        notes = f"notes: {args.collection}" if args.collection else f"notes: {kb.root}"
        command = f"papernotes eval {args.questions}" + (f" --collection {args.collection}" if args.collection else "")
        write_report(
            args.write, [SetResults(args.questions.stem, notes, results)],
            command=command + (" --compare" if args.compare else "") + f" --write {args.write}",
        )
    return 0
