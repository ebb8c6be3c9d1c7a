"""Stale beats broken: update the index when it can be written, else answer from its last good generation.

Readers (`ask`, the app, the MCP server) call `refresh`, or `stale_warning` after a failed build; only
`papernotes index` itself fails when the index can't be written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.embedding import Encoder, ModelSpec
from indexer.errors import IndexBusyError, IndexCorruptError, IndexWriteError
from indexer.store.database import REBUILD_HINT
from indexer.store.manifest import EMPTY_INDEX
from indexer.store.records import BuildProgress, BuildReport, IndexStatus
from indexer.store.status import index_status

if TYPE_CHECKING:
    from indexer.notes import NoteCollection

AUTO_UPDATABLE = (EMPTY_INDEX, "the index uses an older schema")
"""Index problems a reader repairs by updating; any other (damage, a newer schema, another model) stops it."""

FIRST_BUILD_WAIT = 60.0
"""Seconds a reader with no usable index waits for another process's build (it has nothing else to answer from)."""


@dataclass(frozen=True)
class Freshness:
    """How current the index a reader is about to use is."""

    status: IndexStatus
    """The index compared with the notes before any update."""
    report: BuildReport | None = None
    """The update that ran (None when none was needed or it could not be written)."""
    reason: str | None = None
    """Why the update could not be written ("no space left on /mnt"); None when the index is current."""

    @property
    def stale(self) -> bool:
        """Whether answers come from an index older than the notes."""
        return self.reason is not None

    @property
    def warning(self) -> str | None:
        """The one line to show when stale: "3 notes changed since the index was built: no space left on /mnt"."""
        return _warning(self.status, self.reason) if self.reason else None


def usable(status: IndexStatus) -> bool:
    """Whether the index has a last good generation to answer from."""
    return status.exists and status.problem is None


def refresh(
    collection: NoteCollection,
    spec: ModelSpec,
    encoder_factory: Callable[[], Encoder],
    *,
    folder: Path | None = None,
    progress: BuildProgress | None = None,
    cancel: threading.Event | None = None,
    before_update: Callable[[IndexStatus], None] | None = None,
) -> Freshness:
    """Bring the index up to date if it can be written; otherwise keep the last good generation.

    Raises only when there is nothing good to answer from (no index yet, damage, another model), or
    when the lock is held and there is no index yet after FIRST_BUILD_WAIT seconds. With a usable
    index a held lock doesn't wait: the other build is answered around, with a warning.
    `before_update` is called (with the status) just before an update starts.
    """
    status = index_status(collection, spec, folder)
    if status.problem and not status.problem.startswith(AUTO_UPDATABLE):
        raise IndexCorruptError(status.problem, REBUILD_HINT)
    if status.up_to_date:
        return Freshness(status)
    if before_update is not None:
        before_update(status)
    # deferred: an index that is up to date needs no builder
    from indexer.store.builder import build

    wait = 0.0 if usable(status) else FIRST_BUILD_WAIT
    try:
        report = build(
            collection, spec, encoder_factory, folder=folder, progress=progress, cancel=cancel, wait=wait
        )
    except (IndexWriteError, IndexBusyError) as error:
        if not usable(status):
            raise
        return Freshness(status, reason=error.reason)
    return Freshness(status, report)


def stale_warning(status: IndexStatus | None, error: BaseException) -> str | None:
    """After a build failed with `error`: the one warning line when answers still come from the last good index.

    None when the error is not about writing (damage, a bug) or there is no usable index.
    """
    if status is None or not usable(status) or not isinstance(error, IndexWriteError | IndexBusyError):
        return None
    return _warning(status, error.reason)


def _warning(status: IndexStatus, reason: str) -> str:
    changed = status.changed
    what = f"{changed} note{'' if changed == 1 else 's'} changed since the index was built"
    return f"{what}: {reason}"
