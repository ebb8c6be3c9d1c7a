"""App start-up: time from launching the process to the first frame, the notes list, and the model.

    python -m bench.app_paint [--smoke] [--repeat N]

Runs the real app headless (120×40) in a fresh process on an indexed copy of the shipped notes,
with the plain torch encoder and with ours. "First paint" is Textual's Ready event (the first frame
has been displayed); "model ready" is the app's ModelReady message, after which a question can be
answered.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import arguments, copy_notes, median, python_child, report, run_child, table

_CHILD = """
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
marks = {}
from pathlib import Path
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp

class TimedApp(PapernotesApp):
    def on_ready(self):
        marks.setdefault("first paint s", time.time() - t0)

    def on_notes_loaded(self, message):
        marks.setdefault("notes listed s", time.time() - t0)

    def on_model_ready(self, message):
        marks.setdefault("model ready s", time.time() - t0)
        self.set_timer(0.05, self.exit)

    def on_model_failed(self, message):
        marks["error"] = str(message.error)
        self.exit()

TimedApp(KnowledgeBase(Path(sys.argv[1])), watch=False).run(headless=True, size=(120, 40))
print("MARKS " + json.dumps(marks))
"""


def _launch(notes: Path, backend: str, config: Path) -> dict[str, float]:
    env = {"BENCH_T0": repr(time.time()), "PAPERNOTES_BACKEND": backend, "PAPERNOTES_CONFIG_DIR": str(config)}
    run = run_child([sys.executable, "-c", _CHILD, str(notes)], env=env)
    lines = [line for line in run.stdout.splitlines() if line.startswith("MARKS ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"app run failed: {run.stderr.strip()[-2000:]}")
    marks = json.loads(lines[-1][6:])
    if "error" in marks:
        raise SystemExit(f"model failed to load: {marks['error']}")
    marks["peak RSS MB"] = run.peak_mb
    return marks


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its table."""
    args = arguments(__doc__.splitlines()[0], None, argv)
    repeat = args.repeat or (1 if args.smoke else 5)
    paths = {"plain (torch)": "torch", "ours (ONNX Runtime)": "auto"}
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = copy_notes(Path(tmp) / "notes")
        built = python_child(f"from indexer.knowledge import KnowledgeBase; KnowledgeBase(__import__('pathlib').Path({str(notes)!r})).build()")
        if built.returncode != 0:
            raise SystemExit(f"index build failed: {built.stderr.strip()[-2000:]}")
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in paths}
        for _ in range(repeat):
            for label, backend in paths.items():
                runs[label].append(_launch(notes, backend, Path(tmp) / "config"))
    keys = ("first paint s", "notes listed s", "model ready s", "peak RSS MB")
    rows = [(label, *(median([r.get(k, float("nan")) for r in rs]) for k in keys)) for label, rs in runs.items()]
    body = table(("app", *(f"{k} (p50)" for k in keys)), rows)
    body += f"\n\n{repeat} launches each, alternating, headless 120×40, index already built."
    return report("App start-up", body)


if __name__ == "__main__":
    main()
