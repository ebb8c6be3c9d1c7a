"""The `papernotes` command: its arguments parsed, the command's module called, errors turned into one clean line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from indexer import __version__
from indexer.embedding import PRECISIONS
from indexer.errors import PapernotesError
from indexer.notefiles import default_notes_dir
from indexer.textsafe import single_line

if TYPE_CHECKING:
    from indexer.knowledge import KnowledgeBase

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


LIGHT_COMMANDS = {"list": "indexer.cli_notes:cmd_list", "show": "indexer.cli_notes:cmd_show"}
"""Commands that read only what the index already knows: no KnowledgeBase, model or vector imports."""

COMMANDS = {
    "index": "indexer.cli_ask:cmd_index",
    "ask": "indexer.cli_ask:cmd_ask",
    "import": "indexer.cli_import:cmd_import",
    "eval": "indexer.cli_eval:cmd_eval",
    "mcp": "indexer.cli_serve:cmd_mcp",
    "info": "indexer.cli_info:cmd_info",
    "init": "indexer.cli_info:cmd_init",
    "tui": "indexer.cli_serve:cmd_tui",
}
"""Each command's handler as "module:function", imported only when that command runs."""


def _handler(spec: str) -> Callable[..., int]:
    """The function `spec` names, its module imported now (by `__import__`, so `-X importtime` lists it)."""
    module, name = spec.split(":")
    return cast("Callable[..., int]", getattr(__import__(module, fromlist=[name]), name))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `papernotes` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    command = args.command or "tui"
    try:
        if command in LIGHT_COMMANDS:
            light: Callable[[argparse.Namespace, Path], int] = _handler(LIGHT_COMMANDS[command])
            return light(args, (args.notes or default_notes_dir()).expanduser())
        from indexer.knowledge import KnowledgeBase

        kb = KnowledgeBase(
            args.notes or default_notes_dir(),
            model=args.model,
            reranker=args.reranker,
            reader=getattr(args, "reader", None),
            precision=args.precision,
            index=args.index,
        )
        handler: Callable[[argparse.Namespace, KnowledgeBase], int] = _handler(COMMANDS[command])
        return handler(args, kb)
    except PapernotesError as error:
        print(f"papernotes: {single_line(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("papernotes: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
