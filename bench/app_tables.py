"""The app on notes with big tables: first paint, a key pressed right after opening, the longest event-loop stall.

    python -m bench.app_tables [--smoke] [--repeat N] [--baseline REV]

Runs the real app headless at 200×60 in fresh processes on the shipped notes plus three generated table
notes (`bench.notes_gen.huge_table`): 2,000 rows × 31 columns (~460 KB: too wide, shown row by row),
2,000 rows × 3 columns, and 40 rows × 3 columns with one cell of 30,000 words. Each is opened from a
note that is not its neighbour (nothing laid out ahead). "Paint" is the refresh after the open request
(`call_after_refresh`); "ctrl+a handled" is when the ask pane shows after ctrl+a is posted right behind
the open; "stall" is the longest gap a 5 ms ticker on the event loop saw from the open until the whole
note is rendered (or 30 s: the bench stops waiting), i.e. how long keys and frames waited at worst.
`--baseline REV` runs the code at git revision REV too, alternating with ours.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import CONTENT, arguments, median, report, run_child, table
from bench.app_reader import _baseline, _load
from bench.notes_gen import huge_table

_RUN = """
import asyncio, contextlib, json, sys, time
from pathlib import Path
from textual import events
from textual.worker import WorkerCancelled
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp

CASES = json.loads(sys.argv[2])
LIMIT = 30.0
marks = {}

async def idle(app, pilot):
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()

def rendered(app):
    model = app.main.reader.document.model
    return model is not None and bool(model.exact) and all(model.exact)

async def main():
    app = PapernotesApp(KnowledgeBase(Path(sys.argv[1])), watch=False)
    async with app.run_test(size=(200, 60)) as pilot:
        for _ in range(300):
            await pilot.pause(0.1)
            if app.state.model != "loading":
                break
        await idle(app, pilot)
        while app.screen is not app.main:  # the offer to build an index: not now
            app.pop_screen()
            await pilot.pause()
        order = [n.id for n in app.collection.notes]
        for name, label in CASES:
            at = order.index(name)
            start = next(n for n in order if abs(order.index(n) - at) > 1 and n not in dict(CASES))
            await app.open_note(start); await idle(app, pilot)
            gaps = [0.0]
            stop = [False]
            async def tick():
                last = time.perf_counter()
                while not stop[0]:
                    await asyncio.sleep(0.005)
                    now = time.perf_counter()
                    gaps.append(now - last)
                    last = now
            ticker = asyncio.create_task(tick())
            await asyncio.sleep(0.02)
            t0 = time.perf_counter()
            opening = asyncio.create_task(app.open_note(name))
            await asyncio.sleep(0)
            app.post_message(events.Key("ctrl+a", None))
            await opening
            done = asyncio.get_running_loop().create_future()
            app.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
            marks[f"{label}: first paint s"] = await done - t0
            complete_at_key = None
            while time.perf_counter() - t0 < LIMIT:
                if app.main.asking and f"{label}: ctrl+a handled s" not in marks:
                    marks[f"{label}: ctrl+a handled s"] = time.perf_counter() - t0
                    complete_at_key = rendered(app)
                if rendered(app) and app.main.asking:
                    break
                await asyncio.sleep(0.002)
            marks[f"{label}: all of it rendered s"] = time.perf_counter() - t0 if rendered(app) else float("nan")
            marks[f"{label}: longest event-loop stall s"] = max(gaps)
            marks[f"{label}: rendered when ctrl+a was handled (1 yes)"] = float(bool(complete_at_key))
            stop[0] = True
            await ticker
            await pilot.press("escape"); await idle(app, pilot)
            if app.main.asking:
                app.action_ask()
                await idle(app, pilot)
    print("MARKS " + json.dumps(marks))

asyncio.run(main())
"""


def _marks(folder: Path, cases: list[tuple[str, str]], env: dict[str, str], source: Path | None = None) -> dict[str, float]:
    if source is not None:
        env = {**env, "PYTHONPATH": str(source)}
    run = run_child([sys.executable, "-P", "-c", _RUN, str(folder), json.dumps(cases)], env=env)
    lines = [line for line in run.stdout.splitlines() if line.startswith("MARKS ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"app run failed: {run.stderr.strip()[-2000:]}")
    return json.loads(lines[-1][6:])


def _options(parser) -> None:
    parser.add_argument("--baseline", default=None, help="git revision to compare against")


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its table."""
    args = arguments(__doc__.splitlines()[0], _options, argv)
    repeat = args.repeat or (1 if args.smoke else 3)
    rows = 200 if args.smoke else 2000
    loads = [_load()]
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        root = Path(tmp)
        base = _baseline(args.baseline, root / "baseline") if args.baseline else None
        notes = root / "notes"
        shutil.copytree(CONTENT, notes, ignore=shutil.ignore_patterns(".papernotes"))
        huge_table(notes, rows=rows, columns=31, name="wide")
        huge_table(notes, rows=rows, columns=3, name="narrow")
        huge_table(notes, rows=40, columns=3, name="longcell", long_cell=3000 if args.smoke else 30_000)
        cases = [("wide", f"{rows}×31 table"), ("narrow", f"{rows}×3 table"), ("longcell", "40×3 table, a 30,000-word cell")]
        ours: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        for round_ in range(repeat):
            ours.append(_marks(notes, cases, {"PAPERNOTES_CONFIG_DIR": str(root / f"config-{round_}")}))
            if base is not None:
                theirs.append(_marks(notes, cases, {"PAPERNOTES_CONFIG_DIR": str(root / f"config-base-{round_}")}, base))
            loads.append(_load())
    body_rows = [
        (key, median([r[key] for r in ours]), median([r[key] for r in theirs]) if theirs else "") for key in ours[0]
    ]
    headers = ("case (200×60, headless)", "p50 of runs", f"baseline {args.baseline} p50" if base else "")
    body = table(headers, body_rows)
    body += f"\n\n{repeat} run(s) each; load average (1 / 5 / 15 min) before and after each round: {'; '.join(loads)}."
    return report("App: big tables", body)


if __name__ == "__main__":
    os.environ.setdefault("PAPERNOTES_IMAGES", "off")
    main()
