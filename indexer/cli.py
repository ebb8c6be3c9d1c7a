"""The `papernotes` command: parses arguments, calls the core, and turns errors into one clean line."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from indexer import __version__
from indexer.cli_info import cmd_info, cmd_init, index_folder_for, say_location
from indexer.embedding import PRECISIONS
from indexer.errors import IndexBusyError, PapernotesError
from indexer.notefiles import default_notes_dir
from indexer.textsafe import printable, single_line

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from indexer.knowledge import KnowledgeBase
    from indexer.notes import NoteCollection
    from indexer.store import IndexStatus

logger = logging.getLogger(__name__)


def _common_options(*, after_command: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name.

    The copy given to the subcommands defaults to SUPPRESS: argparse would otherwise let a
    subcommand's default (None) overwrite a value given before the subcommand's name.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if after_command else value

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--notes", type=Path, default=default(None), help="notes folder (default: $PAPERNOTES_NOTES or the shipped content/)")
    common.add_argument(
        "--index", type=Path, default=default(None), metavar="DIR",
        help="index folder (default: $PAPERNOTES_INDEX, else NOTES/.papernotes, else the user cache when the notes can't be written)",
    )
    common.add_argument("--model", default=default(None), help="embedding model: a local folder or a cached name (default: the packaged all-MiniLM-L6-v2)")
    common.add_argument(
        "--precision", choices=PRECISIONS, default=default(None),
        help="fp32 (default, exact) or int8 (faster to build, slightly less exact; see docs/PERFORMANCE.md)",
    )
    common.add_argument("--reranker", default=default(None), help="optional cross-encoder (local folder) to re-order passages")
    common.add_argument("-v", "--verbose", action="store_true", default=default(False), help="log what happens")
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options(after_command=True)
    parser = argparse.ArgumentParser(
        prog="papernotes", parents=[_common_options(after_command=False)], description="Search and ask your paper notes, offline."
    )
    parser.add_argument("--version", action="version", version=f"papernotes {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    index = commands.add_parser("index", parents=[common], help="build or update the index")
    index.add_argument("--rebuild", action="store_true", help="start the index from scratch")
    index.add_argument("--watch", action="store_true", help="keep the index up to date until interrupted")
    index.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for another indexer")

    ask = commands.add_parser("ask", parents=[common], help="answer a question from the notes")
    ask.add_argument("question", help="the question, or - to read one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (JSON Lines with -)")
    ask.add_argument("--show-sources", action="store_true", help="print the exact passages cited")
    ask.add_argument("--follow-up", action="store_true", help="read each question in the context of the previous one")
    ask.add_argument("--note", default=None, help="only search this note (id or title)")
    ask.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid", help=argparse.SUPPRESS)
    ask.add_argument(
        "--reader", default=None, metavar="MODEL",
        help="let a local generative model word the answer, checked against the passages: smollm2, a model folder or a .gguf file (off by default)",
    )

    listing = commands.add_parser("list", parents=[common], help="list the notes in reading order")
    listing.add_argument("--json", action="store_true", help="print one JSON array")

    show = commands.add_parser("show", parents=[common], help="print one note")
    show.add_argument("note", help="note id or title")

    importing = commands.add_parser("import", parents=[common], help="import Streamlit pages or Markdown notes")
    importing.add_argument("sources", nargs="+", type=Path, help="pages, notes, or folders of them")
    importing.add_argument("--force", action="store_true", help="overwrite notes whose content differs")
    importing.add_argument(
        "--all",
        action="store_true",
        dest="keep_all",
        help="also import README, CONTRIBUTING, LICENSE and templates found in folders",
    )

    evaluate = commands.add_parser("eval", parents=[common], help="score retrieval and answers on a question file")
    evaluate.add_argument("questions", type=Path, help="JSON Lines file of questions")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument("--compare", action="store_true", help="compare dense, BM25 and hybrid, beside a plain baseline (indexer/baseline.py)")
    evaluate.add_argument("--write", type=Path, default=None, metavar="MARKDOWN", help="also write the table to this file")
    evaluate.add_argument(
        "--collection", type=Path, default=None, metavar="DIR",
        help="evaluate on this outside collection: imported (read-only) into a cached notes folder and indexed there",
    )

    mcp = commands.add_parser("mcp", parents=[common], help="serve the notes to AI assistants (Model Context Protocol)")
    mcp.add_argument("--http", action="store_true", help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    mcp.add_argument("--host", default=None, help="with --http: the address to bind (default 127.0.0.1; any other needs --token)")
    mcp.add_argument("--port", type=int, default=None, help="with --http: the port (default 8765)")
    mcp.add_argument("--token", default=None, help="with --http: the bearer token every request must carry (or $PAPERNOTES_MCP_TOKEN)")
    mcp.add_argument("--no-watch", action="store_true", help="don't watch the notes folder (changes are still picked up before each call)")

    info = commands.add_parser("info", parents=[common], help="where the notes and the index are, and what the index holds")
    info.add_argument("--json", action="store_true", help="print JSON")

    init = commands.add_parser("init", parents=[common], help="copy the shipped notes into a folder to start your own collection")
    init.add_argument("folder", nargs="?", type=Path, default=Path("notes"), help="where (default: ./notes); existing files are kept")

    tui = commands.add_parser("tui", parents=[common], help="open the terminal app (the default)")
    tui.add_argument("--no-watch", action="store_true", help="don't watch the notes folder for changes")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `papernotes` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    command = args.command or "tui"
    light: dict[str, Callable[[argparse.Namespace, Path], int]] = {"list": cmd_list, "show": cmd_show}
    """Commands that read only what the index already knows: no KnowledgeBase, model or vector imports."""
    handlers: dict[str, Callable[[argparse.Namespace, KnowledgeBase], int]] = {
        "index": cmd_index,
        "ask": cmd_ask,
        "import": cmd_import,
        "eval": cmd_eval,
        "mcp": cmd_mcp,
        "info": cmd_info,
        "init": cmd_init,
        "tui": cmd_tui,
    }
    try:
        if command in light:
            return light[command](args, (args.notes or default_notes_dir()).expanduser())
        from indexer.knowledge import KnowledgeBase

        kb = KnowledgeBase(
            args.notes or default_notes_dir(),
            model=args.model,
            reranker=args.reranker,
            reader=getattr(args, "reader", None),
            precision=args.precision,
            index=args.index,
        )
        return handlers[command](args, kb)
    except PapernotesError as error:
        print(f"papernotes: {single_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("papernotes: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _report_problems(collection: NoteCollection | Catalog) -> None:
    for error in collection.errors:
        print(f"warning: {single_line(str(error))}", file=sys.stderr)
    for warning in collection.warnings:
        print(f"warning: {single_line(str(warning))}", file=sys.stderr)


class _ProgressBar:
    """A one-line progress bar on stderr when it is a terminal (rich), else silent."""

    def __init__(self) -> None:
        self._progress = None
        self._task = None
        self._stage = ""
        if sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description:>14}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                transient=True,
            )

    def __enter__(self) -> _ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if self._task is None or stage != self._stage:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task(stage, total=max(total, 1))
            self._stage = stage
        self._progress.update(self._task, completed=done, total=max(total, 1))


def _build(kb: KnowledgeBase, *, rebuild: bool = False, wait: float = 0.0) -> None:
    say_location(kb)
    collection = kb.catalog()
    _report_problems(collection)
    with _ProgressBar() as bar:
        report = kb.build(rebuild=rebuild, progress=bar, wait=wait, collection=collection)
    if report.full_rebuild_reason and not rebuild:
        print(f"full rebuild: {single_line(report.full_rebuild_reason)}", file=sys.stderr)
    print(report.summary())


def cmd_index(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes index`: update the index, once or while watching."""
    _build(kb, rebuild=args.rebuild, wait=args.wait)
    if args.watch:
        from indexer.watch import watch_notes

        print(f"watching {kb.root} for changes (ctrl+c stops)", file=sys.stderr)
        stop = threading.Event()
        try:
            watch_notes(kb.root, lambda: _build(kb, wait=30.0), stop)
        except KeyboardInterrupt:
            stop.set()
    return 0


def _ensure_index(kb: KnowledgeBase) -> None:
    """Bring the index up to date, saying so on stderr; when it can't be written, warn and use the last good one."""
    say_location(kb)
    collection = kb.catalog()

    def updating(status: IndexStatus) -> None:
        why = "no index yet" if not status.exists else (status.problem or f"{status.changed} notes changed")
        print(f"updating the index ({why})…", file=sys.stderr)
        _report_problems(collection)

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
    _ensure_index(kb)
    scope = None
    if args.note:
        note = kb.catalog().find(args.note)
        if note is None:
            raise PapernotesError(f"no note called {args.note!r}", "see: papernotes list")
        scope = [note.id]
    reader = kb.generative_reader()  # resolved now: a missing reader fails before any work
    if reader is not None and reader.needs_conversion:
        print(f"converting the reader {reader.spec.name} once (about a minute)…", file=sys.stderr)
    questions = _stdin_questions(sys.stdin) if args.question == "-" else iter([args.question])
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
            print(_json(data), flush=True)
        else:
            if result and result.fell_back:
                print(f"reader: {single_line(result.reason or 'fell back')}; showing the extractive answer", file=sys.stderr)
            _print_answer(answer, show_sources=args.show_sources, out=sys.stdout)
    return 0


_C1_CONTROLS = re.compile("[\x7f-\x9f]")


def _json(data: object, indent: int | None = None) -> str:
    """JSON that keeps non-ASCII text readable but escapes DEL and C1 controls (terminals act on them)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _C1_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _stdin_questions(stream: TextIO):
    for line in stream:
        line = line.strip()
        if line:
            yield line


def _print_answer(answer, *, show_sources: bool, out: TextIO) -> None:
    if answer.refused:
        reason = answer.reason if answer.reason != "Not in your notes." else f"nothing there answers {single_line(answer.question)!r}."
        print(f"Not in your notes: {single_line(reason)}", file=out)
        if answer.closest:
            print("Closest passages:", file=out)
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
    print(file=out)


def cmd_list(args: argparse.Namespace, root: Path) -> int:
    """`papernotes list`: notes in reading order, from what the index (or the notes cache) knows."""
    from indexer.catalog import scan

    collection = scan(root, index_folder_for(root, args.index))
    _report_problems(collection)
    if args.json:
        from indexer.views import note_row

        print(_json([note_row(n) for n in collection.notes], indent=2))
        return 0
    width = len(str(len(collection.notes)))
    for position, note in enumerate(collection.notes, start=1):
        year = f" ({note.meta.year})" if note.meta.year else ""
        tags = f"  [{', '.join(note.meta.tags)}]" if note.meta.tags else ""
        print(single_line(f"{position:>{width}}. {note.title}{year}{tags}  — {note.id}"))
    return 0


def cmd_show(args: argparse.Namespace, root: Path) -> int:
    """`papernotes show NOTE`: print one note (found by what the index or the notes cache knows)."""
    from indexer.catalog import scan
    from indexer.notefiles import decode_note

    collection = scan(root, index_folder_for(root, args.index))
    note = collection.find(args.note)
    if note is None:
        raise PapernotesError(f"no note called {args.note!r}", "see: papernotes list")
    try:
        data = (collection.root / note.rel_path).read_bytes()
    except OSError as error:
        raise PapernotesError(f"{note.rel_path}: cannot read ({error.strerror or error})") from error
    print(printable(decode_note(data, note.rel_path)))
    return 0


def cmd_import(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes import`: bring Streamlit pages or Markdown notes into the notes folder."""
    from indexer.importers import import_sources

    report = import_sources(list(args.sources), kb.root, force=args.force, keep_all=args.keep_all)
    for warning in report.warnings:
        print(f"warning: {single_line(warning)}", file=sys.stderr)
    for source, reason in report.skipped:
        print(f"skipped: {single_line(str(source))}: {single_line(reason)}", file=sys.stderr)
    for _source, message in report.failed:
        print(f"failed: {single_line(message)}", file=sys.stderr)
    print(report.summary())
    if report.imported:
        print("run `papernotes index` (or press ctrl+r in the app) to index the new notes", file=sys.stderr)
    return 1 if report.failed and not report.imported and not report.unchanged else 0


def cmd_eval(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes eval`: retrieval and answer quality on a question file."""
    from indexer.evaluation import evaluate, format_table, load_questions

    questions = load_questions(args.questions)
    if args.collection is not None:
        from indexer.eval_collection import import_collection
        from indexer.knowledge import KnowledgeBase

        notes_dir = import_collection(args.collection)
        print(f"collection {args.collection} imported into {notes_dir}", file=sys.stderr)
        kb = KnowledgeBase(notes_dir, model=args.model, reranker=args.reranker, precision=args.precision)
    _ensure_index(kb)
    modes = ("dense", "lexical", "hybrid") if args.compare else ("hybrid",)
    started = time.perf_counter()
    results = [evaluate(kb, questions, mode=m) for m in modes]
    if args.compare:
        from indexer.evaluation import evaluate_baseline

        results.insert(0, evaluate_baseline(kb, questions))
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2))
    else:
        print(format_table(results))
        print(f"\n{len(questions)} questions, {time.perf_counter() - started:.1f} s")
    if args.write:
        from indexer.eval_report import SetResults, write_report

        notes = f"notes: {args.collection}" if args.collection else f"notes: {kb.root}"
        command = f"papernotes eval {args.questions}" + (f" --collection {args.collection}" if args.collection else "")
        write_report(
            args.write, [SetResults(args.questions.stem, notes, results)],
            command=command + (" --compare" if args.compare else "") + f" --write {args.write}",
        )
    return 0


def cmd_mcp(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes mcp`: serve the notes over MCP (stdio, or streamable HTTP with --http)."""
    from indexer import mcp_http
    from indexer.live import LiveIndex

    if not args.http and (args.host or args.port or args.token):
        raise PapernotesError("--host, --port and --token only apply with --http")
    host, port = args.host or "127.0.0.1", args.port or mcp_http.DEFAULT_PORT
    token = mcp_http.resolve_token(args.token) if args.http else None
    if args.http:
        mcp_http.auth_settings(host, port, token)  # refuse a bad host/token before any work
    live = LiveIndex(kb)
    stop = threading.Event()
    live.start(watch=not args.no_watch, stop=stop)  # model and index load while the MCP SDK imports
    from indexer.mcp_server import serve  # deferred: the MCP SDK takes ~0.85 s to import

    try:
        serve(live, http=args.http, host=host, port=port, token=token)
    finally:
        stop.set()
    return 0


def cmd_tui(args: argparse.Namespace, kb: KnowledgeBase) -> int:
    """`papernotes tui` (and bare `papernotes`): open the terminal app."""
    try:
        from tui.app import run
    except ImportError as error:  # the app is optional for library use
        raise PapernotesError(f"the terminal app is not available ({error})") from error
    run(kb, watch=not getattr(args, "no_watch", False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
