"""A pseudo-terminal for benchmarks: runs a command at a real size, answers its queries as a terminal does, and timestamps when given texts are drawn."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import child_env

CELL = (10, 20)
"""Pixels per cell (width, height) the terminal reports, as most graphical terminals do."""
ALT_SCREEN = b"\x1b[?1049h"
ANSWERS: dict[bytes, bytes] = {
    b"\x1b[c": b"\x1b[?62;22c",  # primary device attributes: a VT220-like terminal without sixels
    b"\x1b[0c": b"\x1b[?62;22c",
    b"\x1b[16t": b"\x1b[6;%d;%dt" % (CELL[1], CELL[0]),  # cell size in pixels
    b"\x1b[?2026$p": b"\x1b[?2026;2$y",  # synchronized output: supported
    b"\x1b[?2048$p": b"\x1b[?2048;0$y",  # in-band resize: not recognised
}
"""What the terminal answers to the queries it understands; others (kitty's graphics query) get no answer, as in most terminals."""
QUERIES = re.compile(b"|".join(re.escape(query) for query in ANSWERS))


@dataclass
class Drawn:
    """When (seconds from spawn) the command first wrote to the terminal, entered its full-screen mode and drew each text."""

    first_output: float = float("nan")
    alt_screen: float = float("nan")
    texts: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds (user + system, all threads) the command had used when each text was drawn: steadier than wall time under load."""
    exit_code: int | None = None
    output: bytes = b""

    def all_drawn(self, texts: Sequence[str]) -> float:
        """When the last of `texts` was drawn (nan if one never was)."""
        return max((self.texts.get(t, float("nan")) for t in texts), default=float("nan"))


def run_in_terminal(
    args: Sequence[str],
    *,
    size: tuple[int, int],
    texts: Sequence[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
) -> Drawn:
    """Run `args` in a pseudo-terminal `size` = (columns, rows) until every one of `texts` was drawn
    on the full screen (or `timeout`), then quit it with ctrl+q (killed if it lingers)."""
    columns, rows = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, columns * CELL[0], rows * CELL[1]))
    full = {"TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
    drawn = Drawn()
    started = time.perf_counter()
    process = subprocess.Popen(
        list(args), stdin=slave, stdout=slave, stderr=slave, env=child_env(full), cwd=cwd, start_new_session=True
    )
    os.close(slave)
    output = bytearray()
    answered = 0  # queries before this offset are answered
    screen = -1  # where the full screen starts in `output`
    pending = {text: text.encode() for text in texts}
    longest = max((len(t) for t in pending.values()), default=0)
    deadline = timeout
    try:
        while time.perf_counter() - started < deadline:
            if not _readable(master, 0.005):
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child closed the terminal
                break
            now = time.perf_counter() - started
            if not output:
                drawn.first_output = now
            before = len(output)
            output += chunk
            for match in QUERIES.finditer(output, answered):
                os.write(master, ANSWERS[match.group()])
                answered = match.end()
            answered = max(answered, len(output) - 16)
            if screen < 0 and (at := output.find(ALT_SCREEN)) >= 0:
                screen = at
                drawn.alt_screen = now
            if screen >= 0 and pending:
                window = bytes(output[max(screen, before - longest) :])
                for text in [t for t, raw in pending.items() if raw in window]:
                    drawn.texts[text] = now
                    drawn.cpu[text] = _cpu_seconds(process.pid)
                    del pending[text]
                if not pending:
                    os.write(master, b"\x11")  # ctrl+q: quit as a user does
                    deadline = now + 10
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        drawn.exit_code = process.wait()
        os.close(master)
    drawn.output = bytes(output)
    return drawn


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a running process (nan where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _readable(fd: int, timeout: float) -> bool:
    return bool(select.select([fd], [], [], timeout)[0])
