"""Cold `papernotes ask`: a fresh process per question, the plain torch path against the ONNX path.

    python -m bench.cold_ask [--smoke] [--repeat N] [--notes FOLDER]

Both paths answer from the same index (built first, untimed), alternating so that load on the
machine hits both alike. "Cold" means a new process; the OS file cache is warm, as it is for a
user who asks twice. The answers (JSON) of both paths must be identical.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import arguments, copy_notes, median, report, run_child, table

QUESTION = "What does MobileSAM distil from SAM's image encoder?"
IMPORTS = ("numpy", "faiss", "bm25s", "scipy.sparse", "onnxruntime", "tokenizers", "markdown_it", "yaml", "indexer.knowledge")
"""Top-level imports of the ask path shown in the import table."""


def _command() -> list[str]:
    script = Path(sys.executable).with_name("papernotes")
    return [str(script)] if script.exists() else [sys.executable, "-m", "indexer.cli"]


def _ask(notes: Path, backend: str | None, question: str = QUESTION):
    env = {"PAPERNOTES_BACKEND": backend} if backend else {}
    return run_child([*_command(), "ask", "--notes", str(notes), "--json", question], env=env)


def import_times(notes: Path) -> list[tuple[str, object]]:
    """Cumulative import time (ms) of the ask path's heavy modules, from `python -X importtime`."""
    run = run_child([sys.executable, "-X", "importtime", "-m", "indexer.cli", "ask", "--notes", str(notes), QUESTION])
    found: dict[str, float] = {}
    for line in run.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and match.group(3) in IMPORTS and match.group(3) not in found:
            found[match.group(3)] = int(match.group(1)) / 1000
    heavy = [m for m in ("torch", "transformers", "sentence_transformers") if re.search(rf"\|\s*{m}$", run.stderr, re.M)]
    rows: list[tuple[str, object]] = sorted(found.items(), key=lambda kv: -kv[1])
    rows.append(("torch, transformers, sentence_transformers", f"imported: {', '.join(heavy)}" if heavy else "not imported"))
    return rows


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""
    args = arguments(
        __doc__.splitlines()[0],
        lambda p: p.add_argument("--notes", type=Path, default=None, help="notes folder (default: a copy of content/)"),
        argv,
    )
    repeat = args.repeat or (1 if args.smoke else 5)
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = args.notes or copy_notes(Path(tmp) / "notes")
        build = run_child([*_command(), "index", "--notes", str(notes)])
        if build.returncode != 0:
            raise SystemExit(f"index build failed: {build.stderr.strip()}")
        _ask(notes, None)  # the first ONNX run after an export may still be writing caches
        runs: dict[str, list] = {"plain (torch, sentence-transformers)": [], "ours (ONNX Runtime)": []}
        for _ in range(repeat):
            for label, backend in zip(runs, ("torch", None), strict=True):
                runs[label].append(_ask(notes, backend))
        answers = {label: {r.stdout for r in rs} for label, rs in runs.items()}
        identical = len(set.union(*answers.values())) == 1
        failed = [r.stderr.strip() for rs in runs.values() for r in rs if r.returncode != 0]
        if failed:
            raise SystemExit(f"ask failed: {failed[0]}")
        rows = [
            (
                label,
                median([r.seconds for r in rs]),
                min(r.seconds for r in rs),
                max(r.peak_mb for r in rs),
            )
            for label, rs in runs.items()
        ]
        plain, ours = (median([r.seconds for r in rs]) for rs in runs.values())
        body = table(("path", "p50 s", "best s", "peak RSS MB"), rows)
        body += f"\n\n{repeat} runs each, alternating; speed-up {plain / ours:.1f}×; answers identical: {'yes' if identical else 'NO'}"
        body += "\n\n" + table(("ask path import", "cumulative ms"), import_times(notes))
    return report("Cold ask", body)


if __name__ == "__main__":
    main()
