"""Incremental indexing: a full build of 100 notes, then adding one note and editing one.

    python -m bench.incremental [--smoke] [--notes-count N]

Each build gets a fresh KnowledgeBase (as a new `papernotes index` process would) whose encoder is
loaded first and timed apart: that load plus the imports is the fixed start-up, the same for every
build. The rest is what the build itself costs, which for one added note should be a few percent
of the full build, because only that note's chunks are embedded.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import arguments, copy_notes, report, table


def _build(notes: Path) -> tuple[float, float, int, int]:
    """(encoder load s, build s, chunks embedded, chunks total) with a fresh KnowledgeBase."""
    from indexer.knowledge import KnowledgeBase

    kb = KnowledgeBase(notes)
    started = time.perf_counter()
    kb.encoder()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    result = kb.build()
    built = time.perf_counter() - started
    kb.close_index()
    return loaded, built, result.chunks_embedded, result.chunks_total


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its table."""
    args = arguments(
        __doc__.splitlines()[0],
        lambda p: p.add_argument("--notes-count", type=int, default=None, help="notes in the collection (default 100)"),
        argv,
    )
    count = args.notes_count or (6 if args.smoke else 100)
    rows = []
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        staging = copy_notes(Path(tmp) / "all", count + 1)
        notes = Path(tmp) / "notes"
        notes.mkdir()
        names = sorted(p.name for p in staging.glob("*.md"))
        extra = names[-1]
        for name in names[:-1]:
            (notes / name).write_bytes((staging / name).read_bytes())
        load, full, embedded, total = _build(notes)
        rows.append((f"full build, {count} notes", load, full, embedded, total, "100%"))
        load_noop, noop, embedded_noop, _ = _build(notes)
        rows.append(("no change", load_noop, noop, embedded_noop, total, f"{noop / full:.1%}"))
        (notes / extra).write_bytes((staging / extra).read_bytes())
        load_add, add, embedded_add, total_add = _build(notes)
        rows.append(("add 1 note", load_add, add, embedded_add, total_add, f"{add / full:.1%}"))
        edited = notes / names[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.rstrip("\n") + "\n\nOne more paragraph, added to measure an edit.\n", encoding="utf-8")
        load_edit, edit, embedded_edit, total_edit = _build(notes)
        rows.append(("edit 1 note (append a paragraph)", load_edit, edit, embedded_edit, total_edit, f"{edit / full:.1%}"))
    body = table(("build", "encoder load s (fixed)", "build s (beyond fixed)", "chunks embedded", "chunks total", "share of full build"), rows)
    body += "\n\nTarget: adding one note costs at most 5% of the full build beyond the fixed start-up."
    return report("Incremental index", body)


if __name__ == "__main__":
    main()
