"""Benchmarks: `python -m bench.<name> [--smoke]` prints a Markdown table (see docs/PERFORMANCE.md).

Shared helpers live here: the machine description, tables, timing statistics, child processes
measured with their own peak memory, and copies of the shipped notes to index.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"


def machine() -> str:
    """One line naming the machine: CPU model, cores, RAM, Python and the libraries that matter."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        ram = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(f"{name} {_version(name)}" for name in ("onnxruntime", "torch", "faiss-cpu"))
    return f"{cpu}, {cores} cores (nproc), {ram:.0f} GB RAM, Python {platform.python_version()}, {versions}"


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """The median; 0 for no values."""
    return statistics.median(values) if values else 0.0


@dataclass(frozen=True)
class ChildRun:
    """One measured child process."""

    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    returncode: int
    cpu: float = 0.0
    """User plus system CPU seconds of the child (all its threads): under load, a steadier measure than wall time."""


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment plus `env`, without PYTHONDONTWRITEBYTECODE.

    A child measured from spawn should start as an installed papernotes does, from cached bytecode
    (pip compiles it at install; a checkout writes it on its first run). With the variable set, as
    in some shells here, every start recompiles the ~50 modules of the ask path (~45 ms).
    """
    merged = {**os.environ, **(env or {})}
    merged.pop("PYTHONDONTWRITEBYTECODE", None)
    return merged


def run_child(args: Sequence[str], *, env: dict[str, str] | None = None) -> ChildRun:
    """Run a command, timing it from spawn to exit and sampling its peak RSS.

    The peak is the child's VmHWM, read every 20 ms: `ru_maxrss` from wait4 would do, except that
    Linux carries the parent's high-water mark across fork and exec, so a small child of a big
    benchmark process would report the parent's size.
    """
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(args), env=child_env(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err, text=True
        )
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _high_water_kb(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return ChildRun(seconds, peak_kb / 1024, out.read(), err.read(), process.returncode, cpu)


def _high_water_kb(pid: int) -> int:
    """VmHWM of a running process in kB (0 once it has exited or where /proc is missing)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def python_child(code: str, *, env: dict[str, str] | None = None) -> ChildRun:
    """Run `code` in a fresh interpreter of this venv, measured like run_child."""
    return run_child([sys.executable, "-c", code], env=env)


def copy_notes(target: Path, count: int | None = None) -> Path:
    """Copy the shipped notes into `target`; with `count`, make that many distinct notes from them.

    Copies beyond the originals get a new title and id and a numbered sentence in every paragraph,
    so none of their chunks shares a hash with another note's (each is embedded on its own).
    """
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(CONTENT.glob("*.md"))
    if count is None:
        for source in sources:
            shutil.copy2(source, target / source.name)
        return target
    for i in range(count):
        source = sources[i % len(sources)]
        if i < len(sources):
            shutil.copy2(source, target / source.name)
            continue
        copy = i // len(sources)
        text = source.read_text(encoding="utf-8")
        text = _retitle(text, f" (copy {copy})")
        paragraphs = text.split("\n\n")
        marked = [
            p + f" Variant {copy}.{n} of this note." if n and p.strip() and not p.lstrip().startswith(("#", "-", "|", "`", "!", "---")) else p
            for n, p in enumerate(paragraphs)
        ]
        (target / f"{source.stem}-copy{copy}.md").write_text("\n\n".join(marked), encoding="utf-8")
    return target


def _retitle(text: str, suffix: str) -> str:
    """Append `suffix` to the front-matter title (or the first heading)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title:") or line.startswith("# "):
            stripped = line.rstrip()
            if stripped.endswith(('"', "'")):
                lines[i] = stripped[:-1] + suffix + stripped[-1]
            else:
                lines[i] = stripped + suffix
            break
    return "\n".join(lines)


def questions(limit: int | None = None) -> list[str]:
    """Questions from the evaluation set (the shipped notes' own)."""
    import json

    found = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    return found[:limit] if limit else found


def arguments(description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the common options (--smoke, --repeat) plus any a benchmark adds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs (CI)")
    parser.add_argument("--repeat", type=int, default=None, help="rounds per measurement")
    if extra:
        extra(parser)
    return parser.parse_args(argv)


def report(title: str, body: str) -> str:
    """Print a titled result with the machine it ran on, and return it."""
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    text = f"## {title}\n\n{body}\n\nMachine: {machine()}; load average at the end (1, 5, 15 min): {load}\n"
    print(text, flush=True)
    return text
