"""The writer lock: one build at a time per index folder (flock, holder's pid inside)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import IndexBusyError


@contextlib.contextmanager
def write_lock(folder: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's writer lock; waits up to `wait` seconds, then IndexBusyError."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lock"
    handle = open(path, "a+")  # noqa: SIM115 - held for the lock's lifetime
    deadline = time.monotonic() + wait
    locked = False
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise IndexBusyError(
                        f"the index in {folder} is being updated by {holder}",
                        "wait for it to finish, or pass --wait SECONDS",
                        reason=f"the index is being updated by {holder}",
                    ) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"papernotes pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        if locked:  # a failed attempt must not erase the holder's pid
            with contextlib.suppress(OSError):
                handle.truncate(0)
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()
