"""`papernotes index` and `papernotes ask`: the index brought up to date (saying so), questions answered from it."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from indexer.cli_info import say_location
from indexer.cli_output import ProgressBar, json_text, report_problems
from indexer.errors import IndexBusyError, PapernotesError
from indexer.textsafe import printable, single_line

if TYPE_CHECKING:
    from indexer.answer import Answer
    from indexer.knowledge import KnowledgeBase
    from indexer.store import IndexStatus


def build(kb: KnowledgeBase, *, rebuild: bool = False, wait: float = 0.0) -> None:
    """Update (or with `rebuild`, rebuild) the index with a progress bar, then print what changed."""
    say_location(kb)
    collection = kb.catalog()
    report_problems(collection)
    with ProgressBar() as bar:
        report = kb.build(rebuild=rebuild, progress=bar, wait=wait, collection=collection)
    if report.full_rebuild_reason and not rebuild:
        print(f"full rebuild: {single_line(report.full_rebuild_reason)}", file=sys.stderr)
    print(report.summary())


def cmd_index(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes index`: update the index, once or while watching."""
    build(kb, rebuild=args.rebuild, wait=args.wait)
    if args.watch:
        from indexer.watch import watch_notes

        print(f"watching {kb.root} for changes (ctrl+c stops)", file=sys.stderr)
        stop = threading.Event()
        try:
            watch_notes(kb.root, lambda: build(kb, wait=30.0), stop)
        except KeyboardInterrupt:
            stop.set()
    return 0


def ensure_index(kb: KnowledgeBase) -> None:
    """Bring the index up to date, saying so on stderr; when it can't be written, warn and use the last good one."""
    say_location(kb)
    collection = kb.catalog()

    def updating(status: IndexStatus) -> None:
        why = "no index yet" if not status.exists else (status.problem or f"{status.changed} notes changed")
        print(f"updating the index ({why})…", file=sys.stderr)
        report_problems(collection)

    try:
        freshness = kb.refresh(collection=collection, before_update=updating)
    except IndexBusyError as error:  # `ask` has no --wait: don't suggest it
        raise IndexBusyError(error.message, "try again when that update has finished") from error
    if freshness.warning:
        print(f"warning: {single_line(freshness.warning)}", file=sys.stderr)
    elif freshness.report is not None:
        print(freshness.report.summary(), file=sys.stderr)


def cmd_ask(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes ask`: answer one question, or one per line from stdin."""
    if args.question != "-" and not single_line(args.question):
        raise PapernotesError("the question is empty", 'ask one, e.g. papernotes ask "What does MobileSAM distil?"')
    scope = _scope(args, kb)  # before any work: a mistyped name fails at once
    # Before numpy and FAISS load: OpenBLAS starts a thread per core that spins for a while after start,
    # taking the second core from the encoder's loading thread; a question's products are too small
    # for BLAS threads to help. A value the user set wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    loading = kb.preload_encoder()  # while the index is checked and opened (every question needs it)
    try:
        return _answer(args, kb, scope)
    finally:
        loading.join()


def _scope(args: argparse.Namespace, kb: KnowledgeBase) -> list[str] | None:
    """The note `--note` names (from the catalog, no index needed), else None; an unknown one names the closest."""
    if not args.note:
        return None
    catalog = kb.catalog()
    note = catalog.find(args.note)
    if note is None:
        from indexer.views import UnknownNoteError, closest_notes

        raise UnknownNoteError(args.note, closest_notes(catalog, args.note))
    return [note.id]


def _answer(args: argparse.Namespace, kb: KnowledgeBase, scope: list[str] | None) -> int:
    ensure_index(kb)
    reader = kb.generative_reader()  # resolved now: a missing reader fails before any work
    if reader is not None and reader.needs_conversion:
        print(f"converting the reader {reader.spec.name} once (about a minute)…", file=sys.stderr)
    questions = stdin_questions(sys.stdin) if args.question == "-" else iter([single_line(args.question)])
    previous = None
    for question in questions:
        context = previous if args.follow_up else None
        result = kb.ask_with_reader(question, scope=scope, previous=context, mode=args.mode) if reader else None
        answer = result.answer if result else kb.ask(question, scope=scope, previous=context, mode=args.mode)
        previous = answer if not answer.refused else previous
        if args.json:
            data = answer.to_json()
            if result:
                data["reader"] = result.to_json()
            print(json_text(data), flush=True)
        else:
            if result and result.fell_back:
                print(f"reader: {single_line(result.reason or 'fell back')}; showing the extractive answer", file=sys.stderr)
            print_answer(answer, show_sources=args.show_sources, out=sys.stdout)
    return 0


def stdin_questions(stream: TextIO) -> Iterator[str]:
    """The non-blank lines of `stream` as they arrive, stripped of spaces, terminal escapes and control characters."""
    for line in stream:
        line = single_line(line)
        if line:
            yield line


def print_answer(answer: Answer, *, show_sources: bool, out: TextIO) -> None:
    """An answer as text: its sentences and numbered citations (with their passages), or the refusal and closest passages."""
    if answer.read_as:  # a follow-up, read with the previous answer's paper in it
        print(f"(read as: {single_line(answer.read_as)})", file=out)
    if answer.refused:
        reason = answer.reason if answer.reason != "Not in your notes." else f"nothing there answers {single_line(answer.question)!r}."
        print(f"{'Not in this note' if answer.outside_scope else 'Not in your notes'}: {single_line(reason)}", file=out)
        _point_elsewhere(answer, out)
        if answer.closest:
            other = answer.outside_scope[0] if answer.outside_scope else None
            where = f" in your note on {single_line(other.name)}" if other and answer.closest[0].note == other.id else ""
            print(f"Closest passages{where}:", file=out)
            for c in answer.closest:
                print(f"  - {single_line(c.where)}", file=out)
        return
    print(printable(answer.text or ""), file=out)
    print(file=out)
    for c in answer.citations:
        print(f"[{c.number}] {single_line(c.where)}", file=out)
        if show_sources:
            for line in printable(c.passage).splitlines():
                print(f"    │ {line}", file=out)
    _point_elsewhere(answer, out)
    print(file=out)


def _point_elsewhere(answer: Answer, out: TextIO) -> None:
    """For a question asked of one note (--note) that names another: where that note is."""
    for other in answer.outside_scope[:3]:
        print(f"Your note on {single_line(other.name)} is {single_line(other.path)}: ask without --note to use it.", file=out)
