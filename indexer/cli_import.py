"""`papernotes import`: Streamlit pages or Markdown notes brought into the notes folder, each outcome on its own line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from indexer.textsafe import single_line

if TYPE_CHECKING:
    from indexer.knowledge import KnowledgeBase


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
