"""`papernotes mcp` and `papernotes tui`: the long-running faces (the MCP server, the terminal app) started."""

from __future__ import annotations

import argparse
import threading
from typing import TYPE_CHECKING

from indexer.errors import FolderMissingError, PapernotesError

if TYPE_CHECKING:
    from indexer.knowledge import KnowledgeBase


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
    """`papernotes tui` (and bare `papernotes`): open the terminal app (not on a folder that is not there: a typo, usually)."""
    if not kb.root.is_dir():
        raise FolderMissingError(kb.root.resolve())
    try:
        from tui import collector, terminal_graphics, typeahead
    except ImportError as error:  # the app is optional for library use
        raise PapernotesError(f"the terminal app is not available ({error})") from error
    # Keys typed from now on wait for the app (not echoed, not lost), as Textual will read them.
    with typeahead.held():
        terminal_graphics.ask()  # answered while the app imports, read before Textual reads the terminal
        try:
            collector.hold_start_up()  # no garbage collections until the first frame is drawn (~80 ms of CPU)
            from tui.app import run
        except ImportError as error:
            raise PapernotesError(f"the terminal app is not available ({error})") from error
        return run(kb, watch=not getattr(args, "no_watch", False))
