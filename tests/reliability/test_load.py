"""Load: one `papernotes ask -` process answers 2,000 questions with flat memory and no error."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability.support import cli_command, cli_env, model_name, write_corpus

NOTES = 20
MEMORY_MARGIN = 1.10
"""Peak memory after 2,000 questions may exceed the peak after 100 by at most 10 % (plus the slack below)."""
MEMORY_SLACK_MB = 25.0


def questions(count: int) -> list[str]:
    """`count` distinct questions: about the notes, and some the notes can't answer."""
    templates = [
        "How many frames per second does {name} run at, as asked in run {i}?",
        "What accuracy does {name} reach (question {i})?",
        "How long did training {name} take? ({i})",
        "What is {name} and what task is it for, question {i}?",
        "How many blocks does the encoder of {name} stack in case {i}?",
        "What is the boiling point of element number {i}?",
        "Who painted the ceiling of chapel {i}?",
    ]
    return [
        templates[i % len(templates)].format(name=model_name((i // len(templates)) % NOTES), i=i)
        for i in range(count)
    ]


@dataclass
class Run:
    """One `ask -` process: its answers, exit code, peak memory and memory samples along the way."""

    answers: list[dict]
    returncode: int
    stderr: str
    peak_mb: float
    samples: list[tuple[int, float]] = field(default_factory=list)
    """(questions answered so far, resident MB) while it ran."""
    seconds: float = 0.0


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return handle.read().count(b"\n")


def _resident_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def ask_many(notes: Path, count: int, workdir: Path) -> Run:
    """Pipe `count` questions into one `papernotes ask - --json`; measure its peak RSS with wait4."""
    stdin, stdout, stderr = workdir / f"q{count}.txt", workdir / f"a{count}.jsonl", workdir / f"e{count}.txt"
    stdin.write_text("\n".join(questions(count)) + "\n", encoding="utf-8")
    started = time.monotonic()
    with open(stdin, "rb") as inp, open(stdout, "wb") as out, open(stderr, "wb") as err:
        process = subprocess.Popen(
            cli_command("ask", "-", "--json", notes=notes), stdin=inp, stdout=out, stderr=err, env=cli_env()
        )
    samples: list[tuple[int, float]] = []
    deadline = started + 900
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        resident = _resident_mb(process.pid)
        if resident is not None:
            samples.append((_lines(stdout), resident))
        time.sleep(0.25)
    process.returncode = os.waitstatus_to_exitcode(status)
    answers = [json.loads(line) for line in stdout.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Run(
        answers=answers,
        returncode=process.returncode,
        stderr=stderr.read_text(encoding="utf-8", errors="replace"),
        peak_mb=usage.ru_maxrss / 1024,
        samples=samples,
        seconds=time.monotonic() - started,
    )


def _resident_after(run: Run, answered: int) -> list[float]:
    """Resident MB of every sample taken once at least `answered` questions were answered."""
    return [resident for done, resident in run.samples if done >= answered]


@pytest.mark.slow
def test_one_ask_process_answers_2000_questions_with_flat_memory(tmp_path: Path, build_index) -> None:
    notes = tmp_path / "notes"
    write_corpus(notes, NOTES, seed=2000, filler=0)
    build_index(notes)

    short = ask_many(notes, 100, tmp_path)
    long = ask_many(notes, 2000, tmp_path)

    for run, count in ((short, 100), (long, 2000)):
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr and not run.stderr.strip(), run.stderr
        assert len(run.answers) == count
        assert [a["question"] for a in run.answers] == questions(count)
        assert all("answer" in a and "citations" in a for a in run.answers)
    answered = sum(1 for a in long.answers if a["answer"])
    assert 0 < answered < 2000, "expected both answers and refusals"

    # Peak RSS (wait4) of the whole process, and resident size sampled while the 2,000 run went on:
    # the peak is often set while loading, so the samples are what shows a leak during answering.
    warm = _resident_after(long, 100)
    late = _resident_after(long, 1000)
    assert warm and late, f"too few memory samples: {long.samples}"
    report = (
        f"peak RSS {short.peak_mb:.0f} MB for 100 questions ({short.seconds:.0f} s), "
        f"{long.peak_mb:.0f} MB for 2,000 ({long.seconds:.0f} s); resident during the 2,000 run: "
        f"{warm[0]:.0f} MB at question 100, at most {max(late):.0f} MB from question 1,000 to the end"
    )
    print(report)
    assert long.peak_mb <= short.peak_mb * MEMORY_MARGIN + MEMORY_SLACK_MB, report
    assert max(late) <= warm[0] * MEMORY_MARGIN + MEMORY_SLACK_MB, report
