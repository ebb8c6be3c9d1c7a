"""The library at start-up: time from launching the app to the first frame and to the notes listed, on 1,000 notes.

    python -m bench.app_library [--smoke] [--repeat N] [--notes DIR] [--code DIR]

Runs the real app headless in fresh processes at 80×24 and 200×60 on 1,000 generated notes
(`bench.notes_gen.many_notes`; `--notes DIR` for a folder of your own, e.g. an imported collection),
without an index, as a new user's first start is. `--code DIR` runs the app from another source tree
(e.g. `git archive REV | tar -x -C DIR`), for a before/after on the same notes and load. "First start ever" has no catalog cache either
(its file is deleted before that run), so every note is read; the others start as every later start
does. "Library painted" is the refresh after the list was filled (a `call_after_refresh` callback),
"every note parsed" the refresh after the full parse replaced the quick list.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import arguments, median, report, run_child, table
from bench.notes_gen import many_notes

_STARTUP = """
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
marks = {}
from pathlib import Path
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp
marks["imported s"] = time.time() - t0

class TimedApp(PapernotesApp):
    # Textual calls every class's handler in the MRO: these run before the app's own, never instead.
    def on_ready(self):
        marks.setdefault("first frame s", time.time() - t0)

    def on_notes_listed(self, message):
        self.call_after_refresh(lambda: marks.setdefault("library painted s", time.time() - t0))

    def on_notes_loaded(self, message):
        def painted():
            marks.setdefault("library painted s", time.time() - t0)
            marks["every note parsed s"] = time.time() - t0
            self.exit()
        self.call_after_refresh(painted)

width, height = (int(x) for x in os.environ["BENCH_SIZE"].split("x"))
TimedApp(KnowledgeBase(Path(sys.argv[1])), watch=False).run(headless=True, size=(width, height))
print("MARKS " + json.dumps(marks))
"""
SIZES = ("80x24", "200x60")
KEYS = ("imported s", "first frame s", "library painted s", "every note parsed s")


def _launch(notes: Path, size: str, config: Path, code: Path | None = None) -> dict[str, float]:
    env = {"BENCH_T0": repr(time.time()), "BENCH_SIZE": size, "PAPERNOTES_CONFIG_DIR": str(config)}
    if code is not None:
        env["PYTHONPATH"] = str(code.resolve())
    run = run_child([sys.executable, "-c", _STARTUP, str(notes)], env=env)
    lines = [line for line in run.stdout.splitlines() if line.startswith("MARKS ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"app run failed: {run.stderr.strip()[-2000:]}")
    return json.loads(lines[-1][6:])


def _forget_catalog(notes: Path) -> None:
    from indexer.catalog import _cache_path

    _cache_path(notes.resolve()).unlink(missing_ok=True)


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its table."""
    args = arguments(
        __doc__.splitlines()[0],
        lambda p: (
            p.add_argument("--notes", type=Path, default=None, help="a notes folder (default: 1,000 generated notes)"),
            p.add_argument("--code", type=Path, default=None, help="run the app from this source tree"),
        ),
        argv,
    )
    repeat = args.repeat or (1 if args.smoke else 5)
    loads = [_load()]
    rows = []
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = args.notes or many_notes(Path(tmp) / "library", 50 if args.smoke else 1000)
        count = len(list(notes.rglob("*.md")))
        config = Path(tmp) / "config"
        for size in SIZES:
            _forget_catalog(notes)
            cold = _launch(notes, size, config, args.code)
            warm = [_launch(notes, size, config, args.code) for _ in range(repeat)]
            loads.append(_load())
            rows.append((f"{size}, first start ever", *(cold.get(k, float("nan")) for k in KEYS)))
            rows.append((f"{size}, later starts (p50 of {repeat})", *(median([r.get(k, float("nan")) for r in warm]) for k in KEYS)))
            rows.append((f"{size}, later starts (best)", *(min(r.get(k, float("nan")) for r in warm) for k in KEYS)))
    body = table((f"{count} notes, no index", *KEYS), rows)
    body += f"\n\nSeconds from launch. Load average (1 / 5 / 15 min) before and after each size: {'; '.join(loads)}."
    return report("App: the library at start-up", body)


if __name__ == "__main__":
    main()
