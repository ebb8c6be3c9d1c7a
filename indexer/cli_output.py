"""What the CLI's commands print alike: JSON safe for terminals, note problems as warnings, a progress bar."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING

from indexer.textsafe import single_line

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from indexer.notes import NoteCollection

_C1_CONTROLS = re.compile("[\x7f-\x9f]")


def json_text(data: object, indent: int | None = None) -> str:
    """JSON that keeps non-ASCII text readable but escapes DEL and C1 controls (terminals act on them)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _C1_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def report_problems(collection: NoteCollection | Catalog) -> None:
    """Each unreadable note and each warning about a note, one line on stderr."""
    for error in collection.errors:
        print(f"warning: {single_line(str(error))}", file=sys.stderr)
    for warning in collection.warnings:
        print(f"warning: {single_line(str(warning))}", file=sys.stderr)


class ProgressBar:
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

    def __enter__(self) -> ProgressBar:
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
