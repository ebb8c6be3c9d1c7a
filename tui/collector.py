"""Python's garbage collector kept out of the frames that show a note: held while one is drawn, run just after."""

from __future__ import annotations

import gc

_held = False
"""Whether the collector is held by `hold` (and not by someone else)."""
_frozen = False
"""Whether the objects of the app's start-up were moved out of the collector's sight."""
_starting = False
"""Whether the collector is held for the start-up (by `hold_start_up`)."""


def hold_start_up() -> None:
    """Hold automatic collections while the app imports and draws its first frame: the ~100k objects
    made then (Textual's modules, the notes' rows) cost ~80 ms of collections that free nothing."""
    global _starting
    if gc.isenabled():
        gc.disable()
        _starting = True


def start_up_drawn() -> None:
    """The first frame is on screen: the collector runs again (if `hold_start_up` held it)."""
    global _starting
    if _starting:
        _starting = False
        gc.enable()


def hold() -> None:
    """Hold automatic collections until `release`: a full one (25–90 ms with the app's ~120k objects,
    every third or fourth n here) would otherwise land inside the frame that shows the next note."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Let the collector run again (call once the note is painted: what was held is collected then)."""
    global _held
    if _held:
        _held = False
        gc.enable()


def freeze_start_up() -> None:
    """Once the app has started (notes parsed, model loaded): what exists now lives as long as the app,
    so full collections stop walking it (a quarter of the time: ~35k objects left of ~125k)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()
