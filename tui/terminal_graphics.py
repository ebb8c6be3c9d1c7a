"""Provides what the terminal can draw (sixels, kitty graphics, its cell size): asked in one round trip before Textual starts, told to textual-image when a figure first needs it."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from tui import typeahead

logger = logging.getLogger(__name__)

IMAGES_ENV = "PAPERNOTES_IMAGES"
"""Set to `off` to always show placeholders instead of drawing images (the terminal is then never asked)."""
PATIENCE = 1.0
"""Seconds from asking to giving up on a terminal that answers nothing. Every VT100-descended terminal answers
the device-attributes question, and it is asked as the app starts importing (~0.4 s before the answers are
read; answers that came in the meantime are read however long the imports took), so this is only ever waited
out by a terminal that never answers. An answer that comes after it is dropped by the app's input parser
(`tui.late_replies`; Textual would read it as typed keys) but tells nothing, so it is generous: on a loaded
2-core machine and over ssh, answers took longer than the 0.1 s once waited here."""
KITTY_ID = 31
KITTY_QUERY = f"\x1b_Gi={KITTY_ID},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
"""kitty's graphics query (a 1×1 RGB image, not stored): terminals that draw kitty graphics answer OK."""
CELL_QUERY = "\x1b[16t"
"""The cell size in pixels, asked only when the terminal's window size does not give it."""
ATTRIBUTES_QUERY = "\x1b[c"
"""Primary device attributes: every terminal answers, and answers last, so no question waits for a timeout."""
DEFAULT_CELL = (10, 20)
"""textual-image's cell size when nothing tells it (a VT340's)."""

_ATTRIBUTES = re.compile(r"\x1b\[\?([\d;]*)c")
_KITTY = re.compile(r"\x1b_Gi=(\d+)[^;\x1b]*;([^\x1b]*)\x1b\\")
_CELL = re.compile(r"\x1b\[6;(\d+);(\d+)t")
_REPLIES = re.compile(r"\x1b_G[^\x1b]*\x1b\\|\x1b\[6;\d+;\d+t|\x1b\[\?[\d;]*c")
"""The terminal's answers to the probe's questions (the rest of what it read was typed)."""


@dataclass(frozen=True)
class Graphics:
    """What the terminal said it can draw."""

    sixel: bool
    kitty: bool
    cell: tuple[int, int]
    """Pixels per cell (width, height)."""
    attributes: str | None
    """The terminal's device attributes (None: it did not answer)."""

    @classmethod
    def parse(cls, reply: str, cell: tuple[int, int] | None) -> Graphics:
        """The answers in `reply`; `cell` from the window size, if it gave one."""
        attributes = _ATTRIBUTES.search(reply)
        kitty = any(int(m.group(1)) == KITTY_ID and m.group(2) == "OK" for m in _KITTY.finditer(reply))
        if cell is None and (size := _CELL.search(reply)):
            height, width = int(size.group(1)), int(size.group(2))
            cell = (width, height) if width and height else None
        codes = attributes.group(1).split(";") if attributes else []
        return cls("4" in codes, kitty, cell or _cell_from_environment(), attributes.group(1) if attributes else None)


_asked: float | None = None
"""When the questions were written (time.monotonic; None: not yet)."""
_graphics: Graphics | None = None
"""The terminal's answers, once `probe` ran (None: not asked, textual-image asks itself)."""
_importing = threading.Lock()
"""Held while textual-image is imported (a worker warms it up while a figure may ask for it)."""


def images_enabled() -> bool:
    """False when drawing images is switched off with `PAPERNOTES_IMAGES=off`."""
    return os.environ.get(IMAGES_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def ask() -> None:
    """Write the probe's questions now, so the terminal answers while the app imports (`probe` reads the answers).
    The terminal must not echo (`typeahead.held`), else the answers would show on the screen."""
    global _asked
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if _asked is not None or not images_enabled() or stdin is None or stdout is None:
        return
    if not (stdin.isatty() and stdout.isatty()):
        return
    cell = _cell_from_window(stdout.fileno())
    os.write(stdout.fileno(), (KITTY_QUERY + ("" if cell else CELL_QUERY) + ATTRIBUTES_QUERY).encode())
    _asked = time.monotonic()


def probe() -> Graphics | None:
    """What the terminal draws: asked once (now, unless `ask` did already), read before Textual reads its input;
    None when not a terminal."""
    global _graphics
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if _graphics is not None or stdin is None or stdout is None or not (stdin.isatty() and stdout.isatty()):
        return _graphics
    import termios  # deferred: POSIX only, and only for a terminal
    import tty

    cell = _cell_from_window(stdout.fileno())
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd, termios.TCSANOW)
    try:
        ask()
        reply = _read_until_attributes(fd, (_asked or time.monotonic()) + PATIENCE)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    typeahead.keep(_REPLIES.sub("", reply))  # keys typed meanwhile go to the app, in order
    _graphics = Graphics.parse(reply, cell)
    logger.info("terminal graphics: %s", _graphics)
    return _graphics


def cell_size() -> tuple[int, int]:
    """Pixels per terminal cell (width, height): the probe's answer, else textual-image's (which may ask the terminal)."""
    if _graphics is not None:
        return _graphics.cell
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    return int(size.width), int(size.height)


def image_widget_class() -> type[Any]:
    """textual-image's Image widget for this terminal.

    textual-image asks the terminal when it is imported, which cannot work once Textual reads the
    terminal's input: after `probe`, it is imported with the probe's answers instead (nothing is
    written to the terminal). Its import (PIL, numpy: ~0.15 s) so stays out of the app's start.
    """
    with _importing:
        if _graphics is None:
            from textual_image.widget import Image

            return Image
        import textual_image._terminal as terminal

        terminal.get_cell_size._result = terminal.CellSize(*_graphics.cell)  # type: ignore[attr-defined]
        asking = terminal.capture_terminal_response
        terminal.capture_terminal_response = _answered  # bound by textual-image's renderers as they import
        try:
            from textual_image.widget import Image
        finally:
            terminal.capture_terminal_response = asking
        return Image


@contextlib.contextmanager
def _answered(start_marker: str, end_marker: str, timeout: float | None = None) -> Iterator[SimpleNamespace]:
    """textual-image's `capture_terminal_response`, answered from the probe; what it writes meanwhile is dropped."""
    assert _graphics is not None
    response = SimpleNamespace(sequence="")
    stdout = sys.__stdout__
    sys.__stdout__ = _Unwritten(stdout)  # type: ignore[misc]
    try:
        yield response
    finally:
        sys.__stdout__ = stdout  # type: ignore[misc]
    if start_marker == "\x1b[?" and _graphics.attributes is not None:
        response.sequence = f"\x1b[?{_graphics.attributes}c"
    elif start_marker == "\x1b_G" and _graphics.kitty:
        response.sequence = f"\x1b_Gi={KITTY_ID};OK\x1b\\"
    else:
        raise TimeoutError("the terminal did not answer this (asked before the app started)")


class _Unwritten:
    """A terminal stream that keeps what is written to it to itself."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _read_until_attributes(fd: int, deadline: float) -> str:
    """What the terminal sends until its device attributes (or `deadline`, on time.monotonic's clock). What it sent
    before is read even past the deadline: the app's imports can outlast it (a loaded machine), the answers came meanwhile."""
    reply = b""
    while not _ATTRIBUTES.search(reply.decode(errors="replace")):
        if not select.select([fd], [], [], max(deadline - time.monotonic(), 0.0))[0]:
            break
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        reply += chunk
    return reply.decode(errors="replace")


def _cell_from_window(fd: int) -> tuple[int, int] | None:
    """The cell size from the window's size in pixels, where the terminal sets it."""
    import fcntl
    import termios

    try:
        rows, columns, width, height = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    if not (rows and columns and width and height):
        return None
    return (width // columns, height // rows) if width // columns and height // rows else None


def _cell_from_environment() -> tuple[int, int]:
    """textual-serve's cell size, else textual-image's default."""
    width, height = os.environ.get("TEXTUAL_CELL_WIDTH", ""), os.environ.get("TEXTUAL_CELL_HEIGHT", "")
    return (int(width), int(height)) if width.isdigit() and height.isdigit() else DEFAULT_CELL
