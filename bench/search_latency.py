"""Warm search and answer latency, recall and memory at 1k / 10k / 100k / 1M chunks (synthetic).

    python -m bench.search_latency [--smoke] [--sizes 1000,10000,...] [--questions N]

For each size a complete index folder is written with the store's own writers (SQLite rows, FAISS
through `vectors.build_index`, BM25): passages are made of real sentences from the shipped notes,
vectors come from `bench.synthetic` (clustered like MiniLM's). Then:

- vector search: recall@10 of the built index against brute force on 200 held-out synthetic
  queries, and single-query p50/p95 of `vectors.search` (k=40, as retrieval asks) next to exact;
- warm answers: a fresh process opens the index the way `papernotes ask` does, answers three
  questions to warm up, then times the evaluation questions (retrieval only, and the whole answer
  as `KnowledgeBase.ask` gives it: query embedding, hybrid retrieval, sentence choice), and reports
  its peak memory. "answer CPU" is the process's CPU time per answer (all its threads): on a busy
  machine wall time waits for the cores, CPU time much less so.

Issue 11's warm bar (answer p50 ≤ 20 ms at 10k chunks), on its own: `python -m bench.search_latency --sizes 10000`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from bench import arguments, percentile, python_child, report, synthetic, table

CHUNKS_PER_NOTE = 10
"""Like the shipped notes (123 chunks in 14 notes)."""
DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)


def write_index(
    root: Path, count: int, *, exact_below: int | None = None, per_note: int = CHUNKS_PER_NOTE
) -> dict[str, float]:
    """Write a synthetic index of `count` chunks for the notes folder `root`; returns timings."""
    from indexer import store, vectors
    from indexer.chunking import Chunk
    from indexer.embedding import resolve_model
    from indexer.quotes import quote_texts
    from indexer.store import database, generations

    timings: dict[str, float] = {}
    started = time.perf_counter()
    matrix = synthetic.vectors(count, seed=1)
    texts = synthetic.passages(count, seed=1)
    chunks = []
    notes = []
    for n in range(0, count, per_note):
        note_id = f"synthetic-{n // per_note:07d}"
        title = f"Synthetic note {n // per_note}"
        meta = SimpleNamespace(authors=[], year=None, paper=None, code=None, source=None, tags=[], aliases=[])
        notes.append(SimpleNamespace(id=note_id, rel_path=f"{note_id}.md", title=title, meta=meta, content_hash=note_id))
        for ordinal, row in enumerate(range(n, min(count, n + per_note))):
            chunks.append(
                Chunk(
                    id=f"{note_id}#{row:012x}",
                    note_id=note_id,
                    ordinal=ordinal,
                    section=f"Section {ordinal}",
                    start_line=3 * ordinal + 1,
                    end_line=3 * ordinal + 2,
                    text=texts[row],
                    context=f"{title} › Section {ordinal}",
                )
            )
    del texts
    timings["generate s"] = time.perf_counter() - started
    folder = store.index_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    written = generations.write_generation(
        folder, 1, matrix, chunks, vectors.EXACT_BELOW if exact_below is None else exact_below, notes=notes
    )
    timings["FAISS + BM25 write s"] = time.perf_counter() - started
    started = time.perf_counter()
    connection = database.open_for_writing(folder / store.DB_NAME)
    try:
        quotes = quote_texts(chunks)
        generations.commit_generation(
            connection, notes, chunks, 1, 0, resolve_model(), matrix.shape[1], set(quotes), written=written
        )
        sentence_matrix = synthetic.vectors(len(quotes), seed=3).astype(store.SENTENCE_DTYPE)
        with connection:
            connection.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (hash, vector) VALUES (?, ?)",
                ((key, sentence_matrix[i].tobytes()) for i, key in enumerate(quotes)),
            )
    finally:
        connection.close()
    timings["SQLite write s"] = time.perf_counter() - started
    timings["sentence vectors"] = len(quotes)
    return timings


def vector_search(root: Path, count: int, queries: int) -> dict[str, object]:
    """Recall@10 and single-query latency of the written FAISS index, and of exact search."""
    import faiss

    from indexer import store, vectors
    from indexer.store.generations import gen_dir

    base = synthetic.vectors(count, seed=1)
    probes = synthetic.vectors(queries, seed=2)
    path = gen_dir(store.index_dir(root), 1) / "vectors.faiss"
    index = vectors.load_index(path, expected_size=count, expected_dimension=base.shape[1])
    truth = synthetic.exact_neighbours(base, probes, 10)
    _, found = vectors.search(index, probes, 10)
    result: dict[str, object] = {
        "index": type(index).__name__.replace("Index", ""),
        "recall@10": synthetic.recall_at(found, truth),
        "bytes/vector": path.stat().st_size / count,
    }
    result["p50 ms"], result["p95 ms"] = _latency(index, probes)
    index = None  # free it before the exact copy of the vectors is made
    exact = faiss.IndexFlatIP(base.shape[1])
    exact.add(base)
    base = None
    result["exact p50 ms"], _ = _latency(exact, probes[: max(20, queries // 4)])
    return result


def _latency(index, probes) -> tuple[float, float]:
    """p50 and p95 ms of one-query searches for 40 rows, as retrieval asks."""
    from indexer import vectors

    times = []
    vectors.search(index, probes[:1], 40)
    for i in range(len(probes)):
        started = time.perf_counter()
        vectors.search(index, probes[i : i + 1], 40)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def answer_worker(root: str, questions: list[str]) -> None:
    """Child side: open the index like `papernotes ask`, warm up, time retrieval and answers."""
    from indexer.knowledge import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase(Path(root))
    retriever = kb.retriever()
    opened = time.perf_counter() - started
    for question in questions[:3]:
        kb.ask(question)
    embed, search, answer, answer_cpu = [], [], [], []
    for question in questions:
        t0 = time.perf_counter()
        vector = retriever.embed(question)
        t1 = time.perf_counter()
        retriever.search(question, k=8, query_vector=vector)
        t2 = time.perf_counter()
        cpu = time.process_time()
        kb.ask(question)
        t3 = time.perf_counter()
        answer_cpu.append((time.process_time() - cpu) * 1000)
        embed.append((t1 - t0) * 1000)
        search.append((t2 - t1) * 1000)
        answer.append((t3 - t2) * 1000)
    print(json.dumps({"open": opened, "embed": embed, "search": search, "answer": answer, "answer_cpu": answer_cpu}))


def warm_answers(root: Path, questions: list[str]) -> dict[str, float]:
    """Warm latency of retrieval and answers in a fresh process, with its peak memory."""
    code = (
        "from bench.search_latency import answer_worker; "
        f"answer_worker({str(root)!r}, {questions!r})"
    )
    run = python_child(code)
    if run.returncode != 0:
        raise SystemExit(f"answer worker failed: {run.stderr.strip()[-2000:]}")
    data = json.loads(run.stdout.strip().splitlines()[-1])
    retrieval = [e + s for e, s in zip(data["embed"], data["search"], strict=True)]
    return {
        "open s": data["open"],
        "embed p50 ms": percentile(data["embed"], 50),
        "retrieval p50 ms": percentile(retrieval, 50),
        "answer p50 ms": percentile(data["answer"], 50),
        "answer p95 ms": percentile(data["answer"], 95),
        "answer CPU p50 ms": percentile(data["answer_cpu"], 50),
        "peak RSS MB": run.peak_mb,
    }


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""

    def extra(parser) -> None:
        parser.add_argument("--sizes", default=None, help="comma-separated chunk counts (default 1k,10k,100k,1M)")
        parser.add_argument("--questions", type=int, default=None, help="evaluation questions to time (default all)")
        parser.add_argument("--exact-below", type=int, default=None, help="override vectors.EXACT_BELOW")
        parser.add_argument("--chunks-per-note", type=int, default=CHUNKS_PER_NOTE, help="synthetic note size")

    args = arguments(__doc__.splitlines()[0], extra, argv)
    from bench import questions as eval_questions

    if args.sizes:
        sizes = [int(float(s)) for s in args.sizes.split(",")]
    else:
        sizes = [500, 7_000] if args.smoke else list(DEFAULT_SIZES)
    exact_below = args.exact_below if args.exact_below is not None else (1_000 if args.smoke else None)
    asked = eval_questions(args.questions or (6 if args.smoke else None))
    probes = 20 if args.smoke else 200
    build_rows, search_rows, answer_rows = [], [], []
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
            root = Path(tmp)
            started = time.perf_counter()
            timings = write_index(root, count, exact_below=exact_below, per_note=args.chunks_per_note)
            disk = _folder_bytes(root / ".papernotes")
            build_rows.append((f"{count:,}", *(round(v, 1) for v in timings.values()), round(disk / count)))
            found = vector_search(root, count, probes)
            search_rows.append((f"{count:,}", *found.values()))
            answers = warm_answers(root, asked)
            answer_rows.append((f"{count:,}", *answers.values(), round(answers["peak RSS MB"] * 2**20 / count)))
            print(f"{count:,} chunks done in {time.perf_counter() - started:.0f} s", flush=True)
            shutil.rmtree(root, ignore_errors=True)
    body = table(
        ("chunks", "generate s", "FAISS + BM25 write s", "SQLite write s", "sentence vectors", "index on disk, bytes/chunk"),
        build_rows,
    )
    body += "\n\n" + table(("chunks", "FAISS index", "recall@10", "bytes/vector", "p50 ms", "p95 ms", "exact p50 ms"), search_rows)
    body += "\n\n" + table(
        (
            "chunks", "open s", "embed p50 ms", "retrieval p50 ms", "answer p50 ms", "answer p95 ms", "answer CPU p50 ms",
            "peak RSS MB", "RSS bytes/chunk",
        ),
        answer_rows,
    )
    body += (
        f"\n\n{len(asked)} evaluation questions, warm; {probes} synthetic queries for recall and vector latency; "
        f"{args.chunks_per_note} chunks per synthetic note."
    )
    return report("Search latency, recall and memory", body)


if __name__ == "__main__":
    main()
