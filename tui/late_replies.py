"""Terminal answers that come after the terminal probe gave up (a slow terminal, a loaded machine) are dropped, not read as typed keys."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.keys import Keys

LATE_REPLY = re.compile(r"\x1b\[\?[\d;]*c|\x1b\[6;\d+;\d+t")
"""What the probe (`tui.terminal_graphics`) asks and Textual never does: device attributes and the cell size
in pixels. Textual reads a sequence it doesn't know as typed keys ("[?62;22c" in the question box)."""


class LateRepliesDropped(XTermParser):
    """Textual's input parser, ignoring the probe's answers (they arrive whole, as one escape sequence)."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if LATE_REPLY.fullmatch(sequence):
            return [events.Key(Keys.Ignore, sequence)]  # dropped by the parser, logged in its debug log
        return super()._sequence_to_key_events(sequence, alt)
