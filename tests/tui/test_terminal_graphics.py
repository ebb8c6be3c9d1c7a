"""The terminal asked once what it draws (a real pseudo-terminal answering as terminals do), and textual-image told without asking again."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tui.terminal_graphics import ATTRIBUTES_QUERY, CELL_QUERY, KITTY_ID, Graphics

REPO = Path(__file__).resolve().parents[2]
PROBED = "\x00PROBED\x00"
CHILD = f"""
import sys
import textual_image._terminal
from tui import terminal_graphics

graphics = terminal_graphics.probe()
sys.stdout.write({PROBED!r})
sys.stdout.flush()
terminal_graphics.image_widget_class()
import textual_image.renderable
size = textual_image._terminal.get_cell_size()
kind = textual_image.renderable.Image.__module__.rsplit(".", 1)[-1]
sys.stdout.write(f"\\x00RESULT {{kind}} {{size.width}}x{{size.height}} {{graphics.sixel}} {{graphics.kitty}}\\x00")
sys.stdout.flush()
"""


def _run(attributes: str | None, kitty: bool, pixels: bool, cell_answer: str | None = None, child: str = CHILD) -> tuple[str, str]:
    """Run CHILD in a pseudo-terminal that answers as told; what it wrote after the probe, and its result line."""
    master, slave = pty.openpty()
    rows, columns = 24, 80
    size = (columns * 9, rows * 18) if pixels else (0, 0)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, *size))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("TEXTUAL_CELL_WIDTH", None)
    env.pop("TEXTUAL_CELL_HEIGHT", None)
    child = subprocess.Popen([sys.executable, "-c", child], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = b""
    answered = 0
    deadline = time.monotonic() + 60
    try:
        while b"\x00RESULT" not in output or not output.rstrip().endswith(b"\x00"):
            assert time.monotonic() < deadline, output[-500:]
            if not select.select([master], [], [], 0.05)[0]:
                assert child.poll() is None or select.select([master], [], [], 0)[0], output[-2000:]
                continue
            output += os.read(master, 4096)
            pending = output[answered:]
            if b"\x1b_G" in pending and kitty and b"\x1b\\" in pending.split(b"\x1b_G", 1)[1]:
                os.write(master, f"\x1b_Gi={KITTY_ID};OK\x1b\\".encode())
            if CELL_QUERY.encode() in pending and cell_answer is not None:
                os.write(master, cell_answer.encode())
            if ATTRIBUTES_QUERY.encode() in pending:
                if attributes is not None:
                    os.write(master, f"\x1b[?{attributes}c".encode())
                answered = len(output)
    finally:
        child.kill()
        child.wait()
        os.close(master)
    text = output.decode(errors="replace")
    after = text.split(PROBED, 1)[1]
    return after.split("\x00RESULT", 1)[0], after.split("\x00RESULT ", 1)[1].split("\x00", 1)[0]


@pytest.mark.parametrize(
    ("attributes", "kitty", "expected"),
    [
        ("62;4;22", False, "sixel True False"),
        ("62;22", True, "tgp False True"),
        ("62;22", False, "halfcell False False"),
        (None, False, "halfcell False False"),  # a terminal that answers nothing
    ],
)
def test_textual_image_draws_what_the_probe_heard_without_asking_again(attributes: str | None, kitty: bool, expected: str) -> None:
    written, result = _run(attributes, kitty, pixels=True)
    kind, cell, *flags = result.split()
    assert f"{kind} {' '.join(flags)}" == expected
    assert cell == "9x18"  # from the window size in pixels
    assert "\x1b" not in written  # textual-image asked the terminal nothing (Textual would be reading its answers)


def test_the_cell_size_is_asked_when_the_window_size_has_no_pixels() -> None:
    _, result = _run("62;22", False, pixels=False, cell_answer="\x1b[6;17;8t")
    assert result.split()[1] == "8x17"
    _, result = _run("62;22", False, pixels=False)  # not answered: textual-image's default
    assert result.split()[1] == "10x20"


def test_answers_that_came_while_the_app_imported_for_longer_than_the_patience_are_read() -> None:
    """`papernotes tui` asks, then imports the app (over a second on a loaded machine), then reads: the answers that
    came meanwhile are read, not left for Textual to read as typed keys."""
    late = CHILD.replace(
        "graphics = terminal_graphics.probe()",
        "import time\nfrom tui import typeahead\ntypeahead.held().__enter__()\nterminal_graphics.ask()\n"
        "time.sleep(terminal_graphics.PATIENCE + 0.5)\ngraphics = terminal_graphics.probe()\nassert not typeahead._typed",
    )
    written, result = _run("62;4;22", False, pixels=True, child=late)
    kind, _, *flags = result.split()
    assert f"{kind} {' '.join(flags)}" == "sixel True False"
    assert "\x1b" not in written


def test_answers_are_read_from_one_reply() -> None:
    reply = f"\x1b_Gi={KITTY_ID};OK\x1b\\\x1b[6;20;10t\x1b[?62;4;22c"
    assert Graphics.parse(reply, None) == Graphics(True, True, (10, 20), "62;4;22")
    assert Graphics.parse("\x1b_Gi=7;OK\x1b\\\x1b[?1;2c", (9, 18)) == Graphics(False, False, (9, 18), "1;2")
    failed = f"\x1b_Gi={KITTY_ID};ENOTSUPPORTED:no\x1b\\\x1b[?62c"
    assert not Graphics.parse(failed, (9, 18)).kitty
