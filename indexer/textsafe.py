"""Makes note text safe to print: terminal escape sequences and control characters are removed."""

from __future__ import annotations

import re

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b.|[\x9b][0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without escape sequences or control characters (newlines and tabs kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


_BREAKS = re.compile(r"\s*[\n\t\u2028\u2029]\s*")


def single_line(text: str) -> str:
    """`printable(text)` on one line: each line break or tab (with the spaces around it) becomes one space."""
    if text.isprintable():  # no control character, escape, tab or line break: nothing to remove (most lines)
        return text.strip()
    return _BREAKS.sub(" ", printable(text)).strip()
