"""The heavy third-party modules (numpy and what is built on it) imported once, by one thread at a time, numpy first."""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Iterator

_lock = threading.RLock()
"""Held while a heavy module is imported: Python's per-module import locks do not make concurrent first imports of
numpy safe (two threads importing numpy and its submodules at once can be handed a partly initialised module:
"cannot import name '__cpu_features__' from partially initialized module", after which numpy cannot be loaded
again in the process). The app loads the model, answers, finds related notes, builds and draws figures in threads."""
_imported: set[str] = set()
"""The names `heavy` imported completely (an import that failed is tried again the next time)."""


def heavy(*names: str) -> None:
    """Import numpy, then `names` (dotted module names), unless they are imported already; one thread at a time.

    Call it before the first use of code that imports any of them (directly or through our own modules that
    import them in their functions). An import error is raised as it is (a real one says so every time it is
    asked for; a passing one is over the next time)."""
    wanted = ("numpy", *names)
    if _imported.issuperset(wanted):
        return  # the common case, without the lock: a thread drawing a figure never waits for a model load
    with _lock:
        for name in wanted:
            if name not in _imported:
                importlib.import_module(name)
                _imported.add(name)


@contextlib.contextmanager
def serialized() -> Iterator[None]:
    """Hold the heavy-import lock: for importing our own modules that import numpy (or faiss, ...) as they load."""
    with _lock:
        yield

