"""Index throughput: chunks/s of plain `SentenceTransformer.encode` against our ONNX encoder (fp32, int8).

    python -m bench.index_throughput [--smoke] [--repeat N] [--sweep] [--no-quality]

Every measurement runs in its own child process (so torch's and onnxruntime's thread pools never
compete), rounds alternate between modes, and each child warms up on four texts before the clock
starts. The texts are the chunks papernotes embeds for the shipped notes. Quality: hit@1 and MRR on
the evaluation questions with an index built by each precision.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import QUESTIONS, arguments, copy_notes, median, python_child, report, run_child, table


def chunk_texts(notes: Path) -> list[str]:
    """What papernotes embeds for the notes in `notes`."""
    from indexer.chunking import chunk_note
    from indexer.embedding import TokenCounter, resolve_model
    from indexer.notes import load_notes

    counter = TokenCounter(resolve_model())
    return [c.embed_text for note in load_notes(notes).notes for c in chunk_note(note, counter)]


def worker(mode: str, texts_file: str, vectors_file: str, options: dict[str, int]) -> None:
    """Child side: load the encoder, warm up, time one pass over the texts, print JSON."""
    import numpy as np

    texts = json.loads(Path(texts_file).read_text())
    started = time.perf_counter()
    if mode == "plain":
        from sentence_transformers import SentenceTransformer

        from indexer.embedding import resolve_model

        model = SentenceTransformer(str(resolve_model().path), device="cpu", local_files_only=True)

        def encode(batch: list[str]) -> np.ndarray:
            return model.encode(batch, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    else:
        from indexer import onnx_export
        from indexer.embedding import OnnxEncoder, resolve_model

        spec = resolve_model(precision=mode)
        export = onnx_export.find_export(spec, mode)
        if export is None:
            export = onnx_export.quantize_model(spec) if mode == "int8" else onnx_export.export_model(spec)
        encoder = OnnxEncoder(spec, export.path, **options)
        encode = encoder.encode_documents
    loaded = time.perf_counter() - started
    encode(texts[:4])
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encode(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    np.save(vectors_file, np.asarray(vectors, dtype=np.float32))
    print(json.dumps({"load": loaded, "wall": wall, "cpu": cpu}))


def _measure(mode: str, texts_file: Path, vectors_file: Path, options: dict[str, int]) -> dict[str, float]:
    code = (
        "import json, sys; from bench.index_throughput import worker; "
        f"worker({mode!r}, {str(texts_file)!r}, {str(vectors_file)!r}, {options!r})"
    )
    run = python_child(code, env={"TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"})
    if run.returncode != 0:
        raise SystemExit(f"{mode} worker failed: {run.stderr.strip()[-2000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["peak_mb"] = run.peak_mb
    return result


def end_to_end(folder: Path, count: int, repeat: int) -> list[tuple]:
    """`papernotes index --rebuild` in a fresh process per backend: whole-process chunks/s."""
    import re

    notes = copy_notes(folder, count)
    script = Path(sys.executable).with_name("papernotes")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "indexer.cli"]
    runs: dict[str, list] = {"plain (PAPERNOTES_BACKEND=torch)": [], "ours (ONNX fp32, default)": []}
    chunks = 0
    for _ in range(repeat):
        for label, backend in zip(runs, ("torch", "auto"), strict=True):
            run = run_child([*command, "index", "--rebuild", "--notes", str(notes)], env={"PAPERNOTES_BACKEND": backend})
            if run.returncode != 0:
                raise SystemExit(f"index build failed: {run.stderr.strip()[-2000:]}")
            found = re.search(r"(\d+) of (\d+) chunks", run.stdout)
            chunks = int(found.group(2)) if found else chunks
            runs[label].append(run)
    rows = []
    for label, rs in runs.items():
        seconds = median([r.seconds for r in rs])
        rows.append((label, len(list(notes.glob("*.md"))), chunks, seconds, chunks / seconds, max(r.peak_mb for r in rs)))
    return rows


def quality(notes: Path, precisions: Sequence[str]) -> list[tuple]:
    """Retrieval scores on the evaluation questions with an index built in each precision."""
    import shutil

    from indexer.evaluation import evaluate, load_questions
    from indexer.knowledge import KnowledgeBase

    questions = load_questions(QUESTIONS)
    rows = []
    saved = os.environ.get("PAPERNOTES_PRECISION")
    try:
        for precision in precisions:
            os.environ["PAPERNOTES_PRECISION"] = precision
            folder = notes.parent / f"quality-{precision}"
            shutil.copytree(notes, folder, ignore=shutil.ignore_patterns(".papernotes"))
            kb = KnowledgeBase(folder)
            kb.build()
            for mode in ("dense", "hybrid"):
                result = evaluate(kb, questions, mode=mode)
                rows.append((precision, mode, result.hit_at_1, result.hit_at_3, result.mrr, result.key_rate))
            kb.close_index()
    finally:
        if saved is None:
            os.environ.pop("PAPERNOTES_PRECISION", None)
        else:
            os.environ["PAPERNOTES_PRECISION"] = saved
    return rows


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""

    def extra(parser) -> None:
        parser.add_argument("--sweep", action="store_true", help="also try other batch sizes and token budgets")
        parser.add_argument("--no-quality", action="store_true", help="skip the retrieval-quality table")
        parser.add_argument("--copies", type=int, default=1, help="embed the shipped notes' chunks this many times")

    args = arguments(__doc__.splitlines()[0], extra, argv)
    import numpy as np

    from indexer.embedding import BATCH_SIZE, BATCH_TOKENS

    repeat = args.repeat or (1 if args.smoke else 3)
    modes: dict[str, tuple[str, dict[str, int]]] = {
        "plain SentenceTransformer.encode (torch, batch 32)": ("plain", {}),
        f"ours fp32 (ONNX, batch ≤{BATCH_SIZE} / ≤{BATCH_TOKENS} tokens)": ("fp32", {}),
        "ours int8 (ONNX, MatMul weights int8)": ("int8", {}),
    }
    if args.sweep:
        for size, tokens in ((64, 256), (64, 1024), (64, 2048), (32, 4096), (64, 8192)):
            modes[f"ours fp32, batch ≤{size} / ≤{tokens} tokens"] = ("fp32", {"batch_size": size, "batch_tokens": tokens})
        modes["ours fp32, 1 thread"] = ("fp32", {"threads": 1})
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = copy_notes(Path(tmp) / "notes")
        texts = chunk_texts(notes) * max(1, args.copies)
        if args.smoke:
            texts = texts[:12]
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts))
        results: dict[str, list[dict[str, float]]] = {label: [] for label in modes}
        for round_ in range(repeat):
            for label, (mode, options) in modes.items():
                vectors_file = Path(tmp) / f"{mode}-{len(results[label])}-{round_}.npy"
                result = _measure(mode, texts_file, vectors_file, options)
                result["vectors"] = str(vectors_file)
                results[label].append(result)
        reference = np.load(results[next(iter(modes))][0]["vectors"])
        plain_rates = [len(texts) / r["wall"] for r in results[next(iter(modes))]]
        rows = []
        for label, runs in results.items():
            rates = [len(texts) / r["wall"] for r in runs]
            cpu_rates = [len(texts) / max(r["cpu"], 1e-9) for r in runs]
            cosine = (np.load(runs[0]["vectors"]) * reference).sum(axis=1)
            speedup = median([ours / plain for ours, plain in zip(rates, plain_rates, strict=True)])
            rows.append(
                (
                    label,
                    median(rates),
                    max(rates),
                    median(cpu_rates),
                    f"{speedup:.2f}×",
                    f"{cosine.min():.4f} / {cosine.mean():.5f}",
                    median([r["load"] for r in runs]),
                    max(r["peak_mb"] for r in runs),
                )
            )
        lengths = _token_lengths(texts)
        body = table(
            ("encoder", "chunks/s p50", "chunks/s best", "chunks per CPU-s", "speed-up (p50 of per-round ratios)",
             "cosine to plain min / mean", "load s", "peak RSS MB"),
            rows,
        )
        body += (
            f"\n\n{len(texts)} chunks (mean {np.mean(lengths):.0f}, max {max(lengths)} word pieces), "
            f"{repeat} alternating rounds."
        )
        body += "\n\n" + table(
            ("full build, whole process", "notes", "chunks", "seconds p50", "chunks/s", "peak RSS MB"),
            end_to_end(Path(tmp) / "end-to-end", 2 if args.smoke else 42, 1 if args.smoke else 2),
        )
        if not args.smoke and not args.no_quality:
            body += "\n\n" + table(("precision", "mode", "hit@1", "hit@3", "MRR", "answer has key"), quality(notes, ("fp32", "int8")))
    return report("Index throughput", body)


def _token_lengths(texts: Sequence[str]) -> list[int]:
    from indexer.embedding import TokenCounter, resolve_model

    counter = TokenCounter(resolve_model())
    return [min(n + 2, counter.max_tokens + 2) for n in counter.count_many(texts)]


if __name__ == "__main__":
    main()
