"""The library at start-up: time from launching `papernotes` in a terminal to the notes drawn on it, on 1,000 notes.

    python -m bench.app_library [--smoke] [--repeat N] [--notes DIR] [--code DIR]

Runs the real command (`python -m indexer.cli --notes DIR`, the bare `papernotes`) in fresh processes
inside a pseudo-terminal of 80×24 and 200×60 (`bench/terminal.py`: it answers the queries a terminal
answers, reports 10×20-pixel cells, and gives no answer to kitty's graphics query, as most terminals
do), on 1,000 generated notes (`bench.notes_gen.many_notes`; `--notes DIR` for a folder of your own),
without an index, as a new user's first start is. `--code DIR` runs the app from another source tree
(e.g. `git archive REV | tar -x -C DIR`), for a before/after on the same notes and load.

Every time is read from the terminal's side, from spawn: "first output" when the process first wrote
to the terminal, "full screen" when it switched to the alternate screen (Textual started), "first
frame" when the header was drawn, "library painted" when the rows of the first notes in reading order
(as many as fit at that size) were all drawn; "CPU s to paint" is the CPU time (all threads) the process
had used by then, which the machine's load inflates far less than wall time. "First start ever" has no catalog cache either (its file
is deleted before that run), so every note is read; the others start as every later start does.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import REPO, arguments, median, report, table
from bench.notes_gen import many_notes
from bench.terminal import Drawn, run_in_terminal

SIZES = ((80, 24), (200, 60))
KEYS = ("first output s", "full screen s", "first frame s", "library painted s", "CPU s to paint")
HEADER = "papernotes"
"""The header's title: drawn in the first frame."""
CHROME_ROWS = 12
"""Rows of a screen that are not note rows, at least (header, filter box, list borders, status, footer)."""


def _visible_names(notes: Path, rows: int) -> list[str]:
    """The short names of the notes on the first screen of a terminal `rows` high, in reading order."""
    from indexer.catalog import scan
    from tui.text import short_title

    return [short_title(note) for note in scan(notes.resolve()).notes[: max(1, rows - CHROME_ROWS)]]


def _launch(notes: Path, size: tuple[int, int], names: list[str], home: Path, code: Path | None) -> dict[str, float]:
    env = {"PYTHONPATH": str((code or REPO).resolve()), "PAPERNOTES_CONFIG_DIR": str(home / "config")}
    drawn = run_in_terminal(
        [sys.executable, "-m", "indexer.cli", "--notes", str(notes)], size=size, texts=[HEADER, *names], env=env, cwd=home
    )
    if drawn.exit_code != 0 or len(drawn.texts) < len(names) + 1:
        tail = drawn.output[-2000:].decode(errors="replace")
        raise SystemExit(f"app run failed (exit {drawn.exit_code}, {len(drawn.texts)} texts drawn): {tail}")
    return _marks(drawn, names)


def _marks(drawn: Drawn, names: list[str]) -> dict[str, float]:
    return {
        "first output s": drawn.first_output,
        "full screen s": drawn.alt_screen,
        "first frame s": drawn.texts[HEADER],
        "library painted s": drawn.all_drawn(names),
        "CPU s to paint": max((drawn.cpu.get(n, float("nan")) for n in names), default=float("nan")),
    }


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
        home = Path(tmp)
        notes = (args.notes or many_notes(home / "library", 50 if args.smoke else 1000)).resolve()
        count = len(list(notes.rglob("*.md")))
        for size in SIZES:
            names = _visible_names(notes, size[1])
            _forget_catalog(notes)
            cold = _launch(notes, size, names, home, args.code)
            warm = [_launch(notes, size, names, home, args.code) for _ in range(repeat)]
            loads.append(_load())
            label = f"{size[0]}x{size[1]}"
            rows.append((f"{label}, first start ever", *(cold[k] for k in KEYS)))
            rows.append((f"{label}, later starts (p50 of {repeat})", *(median([r[k] for r in warm]) for k in KEYS)))
            rows.append((f"{label}, later starts (best)", *(min(r[k] for r in warm) for k in KEYS)))
    body = table((f"{count} notes, no index", *KEYS), rows)
    body += f"\n\nSeconds from spawn, seen from the terminal. Load average (1 / 5 / 15 min) before and after each size: {'; '.join(loads)}."
    return report("App: the library at start-up", body)


if __name__ == "__main__":
    main()
