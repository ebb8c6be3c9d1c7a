"""`papernotes mcp`: spawn to first answer, and warm per-call latency over stdio at 123 and 10k chunks.

    python -m bench.mcp_latency [--smoke] [--repeat N] [--chunks N]

Everything is measured from the client's side with the MCP SDK's own client (`stdio_client`,
`ClientSession`), so times include JSON-RPC over the pipe and the per-call freshness check (one
stat per note file). Startup: a fresh server per round on an indexed copy of content/, timed from
spawn to the `initialize` result and to the first `ask` result; a cold `papernotes ask --json`
runs in the same rounds for comparison. Warm calls: each tool called after three warm-up calls,
on the copy of content/ and on a synthetic index of `--chunks` chunks (bench.search_latency's
writer) whose note files are written too, so the server sees an index in step with its notes.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import arguments, copy_notes, median, percentile, questions, report, run_child, table

QUESTION = "What does MobileSAM distil from SAM's image encoder?"
WARM_UP = 3


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "indexer.cli", *args]


def synthetic_notes(root: Path, chunks: int) -> Path:
    """A notes folder with a synthetic index of `chunks` chunks and one note file per synthetic note."""
    from bench.search_latency import CHUNKS_PER_NOTE, write_index
    from indexer import store
    from indexer.notes import read_note

    root.mkdir(parents=True, exist_ok=True)
    write_index(root, chunks)
    connection = sqlite3.connect(store.index_dir(root) / store.DB_NAME)
    try:
        rows = connection.execute("SELECT id FROM notes").fetchall()
        updates = []
        for (note_id,) in rows:
            texts = [
                r[0]
                for r in connection.execute("SELECT text FROM chunks WHERE note_id=? ORDER BY ordinal", (note_id,))
            ]
            body = "".join(f"## Section {i}\n{text}\n\n" for i, text in enumerate(texts[:CHUNKS_PER_NOTE]))
            path = root / f"{note_id}.md"
            path.write_text(f"# Synthetic note {note_id}\n\n{body}", encoding="utf-8")
            note = read_note(path, root)
            updates.append((note.title, note.rel_path, note.content_hash, note_id))
        with connection:  # the index now matches the files: the server finds nothing to update
            connection.executemany("UPDATE notes SET title=?, rel_path=?, content_hash=? WHERE id=?", updates)
    finally:
        connection.close()
    return root


async def _startup(notes: Path) -> tuple[float, float]:
    """Seconds from spawn to the initialize result and to the first ask result."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "indexer.cli", "mcp", "--notes", str(notes)], env=_env())
    started = time.perf_counter()
    async with stdio_client(params, errlog=sys.__stderr__) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        initialized = time.perf_counter() - started
        result = await session.call_tool("ask", {"question": QUESTION})
        answered = time.perf_counter() - started
        assert not result.is_error, result.content
    return initialized, answered


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def _calls(notes: Path, asked: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, tool, arguments) of the calls timed, chosen from what the folder holds."""
    from indexer.notes import load_notes

    first = load_notes(notes).notes[0].id
    return (
        [("ask", "ask", {"question": q}) for q in asked]
        + [("search_notes", "search_notes", {"query": q}) for q in asked]
        + [("related_notes", "related_notes", {"note": first})] * len(asked)
        + [("get_note", "get_note", {"note": first})] * len(asked)
        + [("list_notes (filter)", "list_notes", {"filter": first})] * len(asked)
        + [("list_notes (all)", "list_notes", {})] * min(len(asked), 10)
    )


async def _warm(notes: Path, asked: list[str]) -> tuple[dict[str, list[float]], float, float]:
    """Client-observed ms per call for each tool, the wall time of 20 concurrent asks, and the spawn-to-ready s."""
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "indexer.cli", "mcp", "--notes", str(notes)], env=_env())
    times: dict[str, list[float]] = {}
    started = time.perf_counter()
    async with stdio_client(params, errlog=sys.__stderr__) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        calls = _calls(notes, asked)
        for _label, tool, args in calls[:WARM_UP] + [c for c in calls if c[1] != "ask"][:WARM_UP]:
            await session.call_tool(tool, args)
        ready = time.perf_counter() - started
        for label, tool, args in calls:
            t0 = time.perf_counter()
            result = await session.call_tool(tool, args)
            times.setdefault(label, []).append((time.perf_counter() - t0) * 1000)
            assert not result.is_error, result.content
        t0 = time.perf_counter()
        async with anyio.create_task_group() as group:
            for i in range(20):
                group.start_soon(session.call_tool, "ask", {"question": asked[i % len(asked)]})
        together = (time.perf_counter() - t0) * 1000
    return times, together, ready


async def _after_edit(notes: Path, rounds: int) -> list[float]:
    """Seconds of the first `search_notes` after appending a sentence to one note (its update included)."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "indexer.cli", "mcp", "--notes", str(notes)], env=_env())
    path = notes / "mobilesam.md"
    original = path.read_text(encoding="utf-8")
    times = []
    try:
        async with stdio_client(params, errlog=sys.__stderr__) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            await session.call_tool("search_notes", {"query": "warm up"})
            for i in range(rounds):
                word = f"Benchword{i}x"
                path.write_text(original + f"\n## Edit {i}\n\nMobileSAM was once benchmarked as {word}.\n", encoding="utf-8")
                started = time.perf_counter()
                result = await session.call_tool("search_notes", {"query": word, "k": 1})
                times.append(time.perf_counter() - started)
                assert word in result.content[0].text, "the edit was not picked up"
    finally:
        path.write_text(original, encoding="utf-8")
    return times


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""
    import anyio

    args = arguments(
        __doc__.splitlines()[0],
        lambda p: p.add_argument("--chunks", type=int, default=None, help="synthetic index size (default 10000)"),
        argv,
    )
    repeat = args.repeat or (1 if args.smoke else 5)
    chunks = args.chunks or (500 if args.smoke else 10_000)
    asked = questions(4 if args.smoke else 30)
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        notes = copy_notes(Path(tmp) / "notes")
        build = run_child(_command("index", "--notes", str(notes)))
        if build.returncode != 0:
            raise SystemExit(f"index failed: {build.stderr.strip()[-2000:]}")
        starts, cold = [], []
        for _ in range(repeat):
            starts.append(anyio.run(_startup, notes))
            cold.append(run_child(_command("ask", "--notes", str(notes), "--json", QUESTION)).seconds)
        start_rows = [
            ("spawn → initialize result", median([s[0] for s in starts]), min(s[0] for s in starts)),
            ("spawn → first `ask` result", median([s[1] for s in starts]), min(s[1] for s in starts)),
            ("cold `papernotes ask --json` (whole process)", median(cold), min(cold)),
        ]
        edits = anyio.run(_after_edit, notes, repeat)
        start_rows.append(("first `search_notes` after editing one note (its update included)", median(edits), min(edits)))
        sets = [("content/ (123 chunks)", notes), (f"synthetic ({chunks} chunks)", synthetic_notes(Path(tmp) / "synthetic", chunks))]
        warm_rows = []
        for name, folder in sets:
            times, together, ready = anyio.run(_warm, folder, asked)
            for label, values in times.items():
                warm_rows.append((name, label, len(values), percentile(values, 50), percentile(values, 95)))
            warm_rows.append((name, "20 concurrent `ask` (wall ms)", 20, together, together))
            warm_rows.append((name, "spawn → warm (s, after warm-up calls)", 1, ready, ready))
    body = (
        f"Start-up, and the call after an edit, {repeat} rounds (seconds):\n\n"
        + table(["", "p50 s", "best s"], start_rows)
        + "\n\nWarm calls over stdio, client-observed (ms):\n\n"
        + table(["index", "call", "n", "p50 ms", "p95 ms"], warm_rows)
    )
    return report("MCP server latency", body)


if __name__ == "__main__":
    main()
