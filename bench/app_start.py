"""Measures the app's start: time to first paint, to the notes listed, and to the first possible answer.

Run with `python -m bench.app_start [--notes DIR] [--runs N]`. Each run is a fresh process (so torch is
imported cold, as a user would see it) running the app headless at 120×40; times are from process
start. The notes folder is copied to a temporary folder and indexed once first, so runs measure a
normal start (index up to date) without touching the real notes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_FIRST_PAINT = 1.0
"""Seconds: the first screen must be painted within this."""
QUESTION = "What does the image encoder do?"


def _child(notes: str, started: float) -> None:
    """Run the app headless in this process, printing milestones as JSON on stdout."""
    import asyncio

    from indexer.knowledge import KnowledgeBase
    from tui.app import PapernotesApp
    from tui.messages import AnswerReady, ModelReady, NotesLoaded

    marks: dict[str, float] = {"python": started, "imported": time.monotonic()}

    class BenchApp(PapernotesApp):
        def on_ready(self) -> None:
            marks.setdefault("first_paint", time.monotonic())

        def on_notes_loaded(self, message: NotesLoaded) -> None:
            marks.setdefault("notes_listed", time.monotonic())

        def on_model_ready(self, message: ModelReady) -> None:
            marks.setdefault("model_ready", time.monotonic())
            marks["asked"] = time.monotonic()
            self.post_message_question()

        def post_message_question(self) -> None:
            from tui.messages import AskQuestion

            self.main.open_ask()
            self.post_message(AskQuestion(QUESTION, None))

        def on_answer_ready(self, message: AnswerReady) -> None:
            marks.setdefault("first_answer", time.monotonic())

    async def drive() -> None:
        app = BenchApp(KnowledgeBase(Path(notes)), watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            deadline = time.monotonic() + 120
            while "first_answer" not in marks and time.monotonic() < deadline:
                await pilot.pause(0.05)

    asyncio.run(drive())
    print(json.dumps(marks))


def _run_once(notes: Path, config: Path) -> dict[str, float]:
    env = {**os.environ, "PAPERNOTES_CONFIG_DIR": str(config), "PAPERNOTES_IMAGES": "off"}
    code = "import time; t=time.monotonic(); from bench.app_start import _child; _child({!r}, t)"
    launched = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code.format(str(notes))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    marks = json.loads(result.stdout.strip().splitlines()[-1])
    return {name: value - launched for name, value in marks.items()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--notes", type=Path, default=Path(__file__).resolve().parent.parent / "content"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from indexer.knowledge import KnowledgeBase

    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = Path(tmp) / "notes"
        shutil.copytree(args.notes, notes, ignore=shutil.ignore_patterns(".papernotes"))
        started = time.monotonic()
        KnowledgeBase(notes).build()
        print(
            f"indexed {args.notes} in {time.monotonic() - started:.1f} s (copy in a temp folder)\n"
        )
        runs = [_run_once(notes, Path(tmp) / f"config-{i}") for i in range(args.runs)]

    rows = [
        ("python started", "python"),
        ("app imported (textual, indexer, tui)", "imported"),
        ("first paint (library on screen)", "first_paint"),
        ("notes listed", "notes_listed"),
        ("model loaded (first possible answer)", "model_ready"),
        ("first answer shown", "first_answer"),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{'milestone (seconds from launch)':<40} {'median':>7} {'min':>7} {'max':>7}")
    print("-" * 64)
    for label, key in rows:
        values = [run[key] for run in runs if key in run]
        if values:
            print(
                f"{label:<40} {statistics.median(values):>7.2f} {min(values):>7.2f} {max(values):>7.2f}"
            )
    paint = statistics.median(run["first_paint"] for run in runs)
    verdict = "OK" if paint < TARGET_FIRST_PAINT else "TOO SLOW"
    print(
        f"\nfirst paint target < {TARGET_FIRST_PAINT:.1f} s: {verdict} ({args.runs} runs, headless 120×40)"
    )
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} at the end")
    return 0 if paint < TARGET_FIRST_PAINT else 1


if __name__ == "__main__":
    sys.exit(main())
