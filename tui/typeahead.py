"""Provides type-ahead: keys typed while the app starts (before Textual reads the terminal, or before its main screen is mounted), or behind a key that moves the focus, kept and replayed in order."""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Textual is imported after the terminal is held (its import takes ~0.2 s)
    from textual import events
    from textual.driver import Driver

_saved: list[Any] | None = None
"""The terminal's modes before the app held it (None: not held), restored when the app exits."""
_typed: list[str] = []
"""What was typed before Textual read the terminal, in order (read by `held` or the terminal probe)."""


@contextlib.contextmanager
def held() -> Iterator[None]:
    """From now until the app exits, the terminal sends each key as typed (not a line at a time), unechoed and
    untranslated, as Textual reads it: keys typed during the start-up wait in its input, not on the screen."""
    global _saved
    stdin = sys.__stdin__
    saved = _modes(stdin.fileno()) if stdin is not None and stdin.isatty() else None
    if saved is None:
        yield
        return
    import termios  # deferred: POSIX only, and only for a terminal

    fd = stdin.fileno()
    mode = [*saved[:6], list(saved[6])]
    mode[0] &= ~termios.ICRNL  # Enter stays "\r" (else it would be read as ctrl+j)
    mode[3] &= ~(termios.ICANON | termios.ECHO)
    mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, mode)
    _saved = saved
    try:
        # What was typed before now sat in the terminal's line, with Enter turned into "\n": keep it as typed.
        keep(_available(fd).replace("\n", "\r"))
        yield
    finally:
        _saved = None
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)


def keep(text: str) -> None:
    """`text` was typed before Textual reads the terminal: it goes to the app first."""
    if text:
        _typed.append(text)


def driver_class(base: type[Driver]) -> type[Driver]:
    """`base`, or (while the terminal is held) a Linux driver that gives the terminal back as it was before the hold
    and drops answers to the terminal probe that come late (`tui.late_replies`)."""
    from textual.drivers.linux_driver import LinuxDriver

    if _saved is None or not issubclass(base, LinuxDriver):
        return base
    before = _saved

    class HeldDriver(base):  # type: ignore[valid-type,misc]
        """Textual's driver, restoring (on exit and suspend) the modes the terminal had before the app held it."""

        def start_application_mode(self) -> None:
            super().start_application_mode()
            self.attrs_before = before

        def run_input_thread(self) -> None:
            # The terminal was probed before Textual started: an answer it gave after the probe's patience
            # would be read as typed keys. Textual's driver makes its parser here, by this module-level name.
            from textual.drivers import linux_driver

            from tui.late_replies import LateRepliesDropped

            linux_driver.XTermParser = LateRepliesDropped  # type: ignore[misc]
            super().run_input_thread()

    return HeldDriver


class TypeAhead:
    """The keys read before the main screen is mounted (or, later, behind a key that moves the focus), replayed in order once it is (once it has)."""

    def __init__(self) -> None:
        from textual._xterm_parser import XTermParser

        parser = XTermParser(False)
        text = "".join(_typed)
        _typed.clear()
        self.pending: list[events.Event] = [*parser.feed(text), *parser.feed("")] if text else []
        """Keys (and pastes) waiting for the main screen, oldest first."""
        self.holding = True
        """Whether keys are held (until the main screen is mounted)."""

    def holds(self, event: events.Event) -> bool:
        """Whether `event` (a key the app reads) waits for the main screen (kept, in order)."""
        from textual import events

        if not self.holding or not isinstance(event, (events.Key, events.Paste)):
            return False
        self.pending.append(event)
        return True

    def hold(self) -> None:
        """From now, keys wait (kept, in order) until `release`: a key read now moves the focus."""
        self.holding = True

    def release(self) -> list[events.Event]:
        """The main screen is mounted: the keys held so far, to be handled now, before any read after them."""
        self.holding = False
        pending, self.pending = self.pending, []
        return pending


def _modes(fd: int) -> list[Any] | None:
    import termios

    try:
        return termios.tcgetattr(fd)
    except termios.error:
        return None


def _available(fd: int) -> str:
    """What the terminal's input holds now (nothing waits for more)."""
    data = b""
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")
