"""Text made safe to print: escapes and controls removed, one line where asked."""

from __future__ import annotations

import pytest

from indexer.textsafe import _BREAKS, printable, single_line

LINES = [
    "  3. MobileSAM: Faster Segment Anything (2023)  [sam, distillation]  — mobilesam  ",
    "plain",
    "tab\tinside",
    "line\nbreak and  \n  more",
    "escape \x1b[31mred\x1b[0m title",
    "bell\x07 and \x9b1m C1",
    "non-breaking\u00a0space and\u2028separator",
    "Ünïcödé — “quotes” 日本語",
    "",
]


@pytest.mark.parametrize("text", LINES)
def test_single_line_equals_the_full_rule(text: str) -> None:
    assert single_line(text) == _BREAKS.sub(" ", printable(text)).strip()
    assert "\n" not in single_line(text) and "\x1b" not in single_line(text)
