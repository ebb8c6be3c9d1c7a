"""The app with long notes and big libraries: first paint of a note, n/p, held-down n, a citation jump, start-up.

    python -m bench.app_reader [--smoke] [--repeat N] [--only reader|library] [--baseline REV]

Runs the real app headless at 200×60 in fresh processes. "Paint" is the moment Textual has refreshed
the screen after the change (a `call_after_refresh` callback: the screen has nothing left to draw, so
work started after the first frame, like the footer rebuilding itself, counts), measured from the moment
the key (or the open request) was posted; "first frame" is when the first frame after the reader was
given the note was written (header, contents and body change in one batch, so that frame shows them). Notes: the shipped ones plus a generated 400-line note with 10 figures
(`bench.notes_gen.long_note`) and a note whose body is one 30,000-word paragraph on one line
(`huge_paragraph`, opened the first time from a note that is not its neighbour); the library case uses 1,000 generated notes (`many_notes`).
`--baseline REV` runs the reader cases also from the code at git revision REV (extracted with
`git archive`, run with `python -P`), alternating with ours in each round, so both see the same load.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import CONTENT, REPO, arguments, median, report, run_child, table
from bench.notes_gen import huge_paragraph, long_note, many_notes

_STARTUP = """
import json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
marks = {}
from pathlib import Path
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp

class TimedApp(PapernotesApp):
    def on_ready(self):
        marks.setdefault("first frame s", time.time() - t0)

    def _mark_paint(self, final):
        def painted():
            marks.setdefault("library painted s", time.time() - t0)
            if self.main.reader.note is not None and self.main.showing_reader:
                marks.setdefault("last note painted s", time.time() - t0)
            if final:
                marks["every note parsed s"] = time.time() - t0
                self.exit()
        self.call_after_refresh(painted)

    # Textual calls every class's handler in the MRO (the app's own run right after these): calling
    # super() here ran them twice, filling the list twice (measured so before 12-02).
    def on_notes_listed(self, message):
        self._mark_paint(False)

    def on_notes_loaded(self, message):
        self._mark_paint(True)

TimedApp(KnowledgeBase(Path(sys.argv[1])), watch=False).run(headless=True, size=(200, 60))
print("MARKS " + json.dumps(marks))
"""

_READER = """
import asyncio, json, sys, time, contextlib
from pathlib import Path
from textual import events
from textual.worker import WorkerCancelled
from indexer.answer import Citation
from indexer.knowledge import KnowledgeBase
from tui.app import PapernotesApp

from textual.app import App
from tui.widgets.reader import Reader

marks = {}
READ = 0.5
FRAMES = []  # when each frame was written to the terminal
SHOWN = [0.0]  # when the reader was last given a note

def _recording(method, times, keep_last=False):
    def recorded(self, *args, **kwargs):
        if keep_last:
            times[0] = time.perf_counter()
        result = method(self, *args, **kwargs)
        if not keep_last:
            times.append(time.perf_counter())
        return result
    return recorded

App._display = _recording(App._display, FRAMES)
Reader.show_note = _recording(Reader.show_note, SHOWN, keep_last=True)

async def painted(app):  # (first frame written after the note was shown, the refresh after which callbacks ran)
    done = asyncio.get_running_loop().create_future()
    app.call_after_refresh(lambda: done.done() or done.set_result(time.perf_counter()))
    settled = await done
    return next((t for t in FRAMES if t > SHOWN[0]), settled), settled

async def shown(app, note_id):
    while app.main.reader.note is None or app.main.reader.note.id != note_id:
        await asyncio.sleep(0.001)
    return await painted(app)

def mark(name, times, t0=None):  # both readings of a case: `times` are painted() pairs (or one pair, with `t0`)
    if t0 is not None:
        frame, settled = times
        marks[name + " s"] = settled - t0
        marks[name + ", first frame s"] = frame - t0
        return
    for which, index in (("", 1), (", first frame", 0)):
        values = sorted(pair[index] for pair in times)
        marks[f"{name}{which}: paint s (median)"] = values[len(values) // 2]
        marks[f"{name}{which}: paint s (max)"] = values[-1]

async def idle(app, pilot):
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()

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
        notes = [n.id for n in app.collection.notes if n.id not in ("long", "huge")]
        t0 = time.perf_counter()
        await app.open_note("long")
        mark("open 400-line note: first paint", await painted(app), t0)
        await idle(app, pilot)
        marks["open 400-line note: all of it s"] = time.perf_counter() - t0
        await app.open_note(notes[0]); await idle(app, pilot)
        t0 = time.perf_counter()
        await app.open_note("long")
        mark("reopen it (kept)", await painted(app), t0)
        await idle(app, pilot)
        await app.open_note(notes[0]); await idle(app, pilot)
        steps = []
        for note in notes[1:]:
            t0 = time.perf_counter()
            app.post_message(events.Key("n", "n"))
            frame, settled = await shown(app, note)
            steps.append((frame - t0, settled - t0))
            await idle(app, pilot)
        mark("n to a new note", steps)
        for key, step in (("n", 1), ("p", -1)):  # as a reader does: a moment on each note first
            await app.open_note(notes[0] if step > 0 else notes[-1]); await idle(app, pilot)
            steps = []
            for note in (notes[1:] if step > 0 else notes[-2::-1]):
                await asyncio.sleep(READ); await idle(app, pilot)
                t0 = time.perf_counter()
                app.post_message(events.Key(key, key))
                frame, settled = await shown(app, note)
                steps.append((frame - t0, settled - t0))
            mark(f"{key} after {READ} s on the note", steps)
        await app.open_note(notes[0]); await idle(app, pilot)
        t0 = time.perf_counter()
        for _ in range(len(notes) - 1):  # held down: key repeat at 30 per second
            app.post_message(events.Key("n", "n"))
            await asyncio.sleep(1 / 30)
        released = time.perf_counter()
        end = (await shown(app, notes[-1]))[1]
        marks["held n over %d notes: caught up s after release" % (len(notes) - 1)] = end - released
        marks["held n: total s"] = end - t0
        await idle(app, pilot)
        note = app.collection.find("long")
        section = note.sections[-2]
        block = section.blocks[0]
        citation = Citation(1, note.id, note.title, section.label, note.rel_path, (block.start_line, block.end_line), 1.0, block.text, block.text)
        await app.open_note(notes[0]); await idle(app, pilot)
        t0 = time.perf_counter()
        await app.open_note("long", citation)
        while app.main.reader.scroll_y == 0 and time.perf_counter() - t0 < 10:
            await asyncio.sleep(0.001)
        marks["citation near the end: passage on screen s"] = (await painted(app))[1] - t0
        await idle(app, pilot)
        order = [n.id for n in app.collection.notes]
        at = order.index("huge")
        start = next(n for n in notes if abs(order.index(n) - at) > 1)  # not a neighbour: nothing laid out ahead
        await app.open_note(start); await idle(app, pilot)
        t0 = time.perf_counter()
        await app.open_note("huge")
        mark("open 30,000-word paragraph (first time): first paint", await painted(app), t0)
        await idle(app, pilot)
        marks["open 30,000-word paragraph: all of it s"] = time.perf_counter() - t0
        await app.open_note(start); await idle(app, pilot)
        await app.open_note("huge"); await idle(app, pilot)
        t0 = time.perf_counter()
        app.main.reader.scroll_end(animate=False, immediate=True)
        marks["30,000-word paragraph: End, last rows on screen s"] = (await painted(app))[1] - t0
    print("MARKS " + json.dumps(marks))

asyncio.run(main())
"""


def _marks(code: str, folder: Path, env: dict[str, str], source: Path | None = None) -> dict[str, float]:
    """Run `code` in a fresh process on `folder` (with the code at `source` instead of ours, if given)."""
    if source is not None:
        env = {**env, "PYTHONPATH": str(source)}
    run = run_child([sys.executable, "-P", "-c", code, str(folder)], env=env)
    lines = [line for line in run.stdout.splitlines() if line.startswith("MARKS ")]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"app run failed: {run.stderr.strip()[-2000:]}")
    return json.loads(lines[-1][6:])


def _baseline(revision: str, target: Path) -> Path:
    """The code at `revision`, extracted from git (no worktree is registered)."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "indexer", "tui"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def _options(parser) -> None:
    parser.add_argument("--only", choices=("reader", "library"), default=None, help="run only these cases")
    parser.add_argument("--baseline", default=None, help="git revision to compare the reader cases against")


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""
    args = arguments(__doc__.splitlines()[0], _options, argv)
    repeat = args.repeat or (1 if args.smoke else 3)
    count = 50 if args.smoke else 1000
    reader, library = args.only in (None, "reader"), args.only in (None, "library")
    loads = [_load()]
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        root = Path(tmp)
        base = _baseline(args.baseline, root / "baseline") if args.baseline else None
        notes = root / "notes"
        shutil.copytree(CONTENT, notes, ignore=shutil.ignore_patterns(".papernotes"))
        long_note(notes, lines=400, images=10)
        huge_paragraph(notes, words=3000 if args.smoke else 30_000)
        library_folder = many_notes(root / "library", count) if library else None
        config = root / "config"
        reader_runs: list[dict[str, float]] = []
        base_runs: list[dict[str, float]] = []
        start_runs, last_runs = [], []
        env = {"PAPERNOTES_CONFIG_DIR": str(config)}
        cold = (
            _marks(_STARTUP, library_folder, {**env, "BENCH_T0": repr(time.time())})
            if library_folder is not None
            else {}
        )  # the first start ever: no catalog yet
        for round_ in range(repeat):
            env = {"PAPERNOTES_CONFIG_DIR": str(config)}
            if reader:
                # Each reader run starts with no note read before (the library first), so each opens the
                # long note as the first note its process shows: sharing one config, the run after another
                # found the long note already shown (the last one read) and only showed it again.
                fresh = {"PAPERNOTES_CONFIG_DIR": str(root / f"config-reader-{round_}")}
                reader_runs.append(_marks(_READER, notes, fresh))
                if base is not None:
                    fresh = {"PAPERNOTES_CONFIG_DIR": str(root / f"config-baseline-{round_}")}
                    base_runs.append(_marks(_READER, notes, fresh, base))
            if library_folder is not None:
                start_runs.append(_marks(_STARTUP, library_folder, {**env, "BENCH_T0": repr(time.time())}))
                # The reader run left the long note as the last one read: a restart reopens it.
                config.mkdir(parents=True, exist_ok=True)
                (config / "tui.json").write_text(json.dumps({"last_notes": {str(notes.resolve()): "long"}}))
                last_runs.append(_marks(_STARTUP, notes, {**env, "BENCH_T0": repr(time.time())}))
            loads.append(_load())
    rows: list[tuple[object, ...]] = []
    if reader_runs:
        for key in reader_runs[0]:
            ours = median([r[key] for r in reader_runs])
            rows.append((key, ours, median([r[key] for r in base_runs]) if base_runs else ""))
    if start_runs:
        rows.append((f"start-up, {count} notes: first frame (process start, imports) s", median([r["first frame s"] for r in start_runs]), ""))
        rows.append((f"first start ever, {count} notes: library painted s", cold["library painted s"], ""))
        rows.append((f"start-up, {count} notes: library painted s", median([r["library painted s"] for r in start_runs]), ""))
        rows.append((f"start-up, {count} notes: every note parsed s", median([r["every note parsed s"] for r in start_runs]), ""))
        rows.append(
            ("restart with the 400-line note last read: painted s", median([r.get("last note painted s", float("nan")) for r in last_runs]), "")
        )
    headers = ("case (200×60, headless)", "p50 of runs", f"baseline {args.baseline} p50" if base else "")
    body = table(headers, rows)
    body += f"\n\n{repeat} run(s) each; load average (1 / 5 / 15 min) before and after each round: {'; '.join(loads)}."
    return report("App: long notes and big libraries", body)


if __name__ == "__main__":
    main()
