"""Opening a big index: a fresh process's open, first search and first answer at 100k / 300k / 1M chunks (synthetic).

    python -m bench.big_open [--smoke] [--sizes 100000,1000000] [--keep DIR] [--repeat N]

Each index is written by `bench.search_latency.write_index` (the store's own writers: SQLite rows,
FAISS through `vectors.build_index`, BM25, the notes' derived fields; real sentences, synthetic
vectors of the model's dimension, 10 chunks per note, so 1M chunks are 100k notes). Writing 1M
takes many minutes, so `--keep DIR` keeps each index in `DIR/<size>/` and reuses it while its
manifest matches (size, store rule). Then `--repeat` fresh processes each time, in order: the
imports `papernotes ask` needs, `KnowledgeBase.retriever()` (the index opened: manifest, FAISS
and BM25 mapped, stored names; the encoder session), the first search and the first whole
answer. "spawn → retriever" is the issue's figure (opening the index as `ask` does). CPU seconds
are the child's own (all threads) per phase, beside wall time: on a shared machine wall time waits
for the cores, CPU time much less so.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import arguments, median, python_child, questions, report, table

DEFAULT_SIZES = (100_000, 300_000, 1_000_000)
QUESTION = "What does MobileSAM distil from SAM's image encoder?"


def _usable(root: Path, count: int) -> bool:
    """Whether `root` holds a complete synthetic index of `count` chunks written with this store's rules."""
    from indexer.store import derived
    from indexer.store.database import DB_NAME
    from indexer.store.location import index_dir

    db = index_dir(root) / DB_NAME
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            manifest = dict(connection.execute("SELECT key, value FROM manifest").fetchall())
    except sqlite3.DatabaseError:
        return False
    return manifest.get("chunks") == str(count) and manifest.get("fields_rule") == derived.RULE


def _ensure(root: Path, count: int) -> float | None:
    """Write the index of `count` chunks into `root` unless it is there; the seconds writing took (None: reused)."""
    from bench.search_latency import write_index

    if _usable(root, count):
        return None
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    write_index(root, count)
    return time.perf_counter() - started


def worker(root: str, question: str, spawned: float) -> None:
    """Child side: the phases of a cold ask on a big index; `spawned` is the parent's clock (time.time) at spawn."""
    import resource

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread's, since the interpreter started
        return usage.ru_utime + usage.ru_stime

    started, start_up, cpu_started = time.perf_counter(), time.time() - spawned, cpu()
    from indexer.answer import answer_question
    from indexer.knowledge import KnowledgeBase

    imported, cpu_imported = time.perf_counter(), cpu()
    kb = KnowledgeBase(Path(root))
    retriever = kb.retriever()
    opened, cpu_opened = time.perf_counter(), cpu()
    retriever.search(question, k=8)
    searched, cpu_searched = time.perf_counter(), cpu()
    answer_question(question, retriever)
    answered, cpu_answered = time.perf_counter(), cpu()
    print(json.dumps({
        "spawn": start_up, "import": imported - started, "open": opened - imported, "search": searched - opened,
        "answer": answered - searched, "cpu start": cpu_started, "cpu import": cpu_imported - cpu_started,
        "cpu open": cpu_opened - cpu_imported, "cpu search": cpu_searched - cpu_opened, "cpu answer": cpu_answered - cpu_searched,
    }))  # fmt: skip


def measure(root: Path, repeat: int) -> dict[str, float]:
    """Medians over `repeat` fresh processes: spawn → retriever, first search, first answer."""
    runs = []
    for _ in range(repeat):
        run = python_child(f"from bench.big_open import worker; worker({str(root)!r}, {QUESTION!r}, {time.time()!r})")
        if run.returncode != 0:
            raise SystemExit(f"worker failed: {run.stderr.strip()[-2000:]}")
        data = json.loads(run.stdout.strip().splitlines()[-1])
        runs.append({**data, "peak": run.peak_mb})
    pick = {k: median([r[k] for r in runs]) for k in runs[0]}
    return {
        "spawn → retriever s": pick["spawn"] + pick["import"] + pick["open"],
        "best s": min(r["spawn"] + r["import"] + r["open"] for r in runs),
        "of which imports s": pick["import"],
        "open (KnowledgeBase.retriever) s": pick["open"],
        "first search s": pick["search"],
        "first answer s": pick["answer"],
        "CPU s: start, imports, open, search, answer": " / ".join(
            f"{pick[k]:.2f}" for k in ("cpu start", "cpu import", "cpu open", "cpu search", "cpu answer")
        ),
        "peak RSS MB": pick["peak"],
    }


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its table."""

    def extra(parser) -> None:
        parser.add_argument("--sizes", default=None, help="comma-separated chunk counts (default 100k,300k,1M)")
        parser.add_argument("--keep", type=Path, default=None, help="folder keeping the written indexes for reruns")

    args = arguments(__doc__.splitlines()[0], extra, argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")] if args.sizes else ([2_000] if args.smoke else list(DEFAULT_SIZES))
    repeat = args.repeat or (1 if args.smoke else 5)
    questions(1)  # the evaluation file is there (the worker's question is fixed)
    rows = []
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        base = args.keep or Path(tmp)
        for count in sizes:
            root = base / str(count)
            written = _ensure(root, count)
            loads = [os.getloadavg()[0]]
            found = measure(root, repeat)
            loads.append(os.getloadavg()[0])
            notes = count // 10
            rows.append((
                f"{count:,}", f"{notes:,}", *found.values(),
                f"{written:.0f}" if written is not None else "kept", f"{min(loads):.1f}–{max(loads):.1f}",
            ))  # fmt: skip
            print(f"{count:,} chunks measured", flush=True)
    body = table(
        (
            "chunks", "notes", "spawn → retriever s", "best s", "of which imports s", "open s", "first search s",
            "first answer s", "CPU s: start / imports / open / search / answer", "peak RSS MB", "index written in s", "load (1 min)",
        ),
        rows,
    )
    body += f"\n\nmedians of {repeat} fresh processes per size"
    return report("Opening a big index", body)


if __name__ == "__main__":
    main()
