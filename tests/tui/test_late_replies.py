"""A terminal's late answer to the probe is not typed: Textual's parser, as the app's driver uses it, drops it."""

from __future__ import annotations

import pytest
from textual import events

from tui.late_replies import LateRepliesDropped


def typed(text: str) -> str:
    parser = LateRepliesDropped(False)
    keys = [e for e in [*parser.feed(text), *parser.feed("")] if isinstance(e, events.Key)]
    return "".join(k.character or f"<{k.key}>" for k in keys)


@pytest.mark.parametrize("reply", ["\x1b[?62;22c", "\x1b[?1;2c", "\x1b[?64;1;2;4;6;9;15;18;21;22c", "\x1b[6;20;10t"])
def test_a_late_answer_between_keys_is_dropped(reply: str) -> None:
    assert typed(f"ab{reply}cd") == "abcd"


def test_keys_and_other_sequences_are_read_as_before() -> None:
    from textual._xterm_parser import XTermParser

    text = "how\x1b[Aq\x1b[1;5C\r"  # letters, up, a letter, ctrl+right, enter
    plain = [e.key for e in XTermParser(False).feed(text) if isinstance(e, events.Key)]
    assert [e.key for e in LateRepliesDropped(False).feed(text) if isinstance(e, events.Key)] == plain
    assert "up" in plain and "ctrl+right" in plain
