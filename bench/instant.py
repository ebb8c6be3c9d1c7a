"""Instant commands: `list`, `show`, cold `ask`, a no-change `index` and `ask -`, beside the import floor.

    python -m bench.instant [--smoke] [--repeat N] [--collection DIR] [--large N] [--baseline REV] [--only large] [--keep DIR]

Each command is a fresh process (`python -m indexer.cli`), timed from spawn to exit, alternating
with the import floor (`python -c "import onnxruntime, tokenizers, numpy, faiss, sqlite3"`, all an
answer truly needs) so that load on the machine hits all alike. Collections: a copy of content/,
100 notes made from it (`bench.copy_notes`), an import of an outside collection (`--collection`,
default ../shared/corpora/papers_we_read when present), and `--large` generated notes whose index is
written with synthetic vectors (the real chunker, BM25 and FAISS; only the encoder is replaced,
since embedding 10k notes takes hours here). With `--baseline REV` the same commands also run from
that git revision (extracted with `git archive`) on its own index of the same notes. Beside wall
times the tables give each command's CPU seconds (user + system, all threads; p50): on a shared
machine wall time mostly measures the queue for a core, CPU time much less so.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import (
    REPO,
    arguments,
    child_env,
    copy_notes,
    median,
    questions,
    report,
    run_child,
    table,
)

QUESTION = "What does MobileSAM distil from SAM's image encoder?"
FLOOR = "import onnxruntime, tokenizers, numpy, faiss, sqlite3"
TARGETS = {
    "small": {"list": "≤ 0.3 s", "ask": "≤ 2× floor", "index": "≤ 0.4 s", "ask -": "≤ baseline"},
    "large": {"list": "≤ 0.5 s", "ask": "≤ 1.5 s", "index": "≤ 2 s"},
}


def _cli(code: Path, notes: Path, *args: str, stdin: str | None = None):
    env = {"PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-P", "-m", "indexer.cli", *args, "--notes", str(notes)]  # -P: PYTHONPATH decides the code, not the cwd
    if stdin is None:
        return run_child(command, env=env)
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=child_env(env))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return _Run(seconds, done.returncode, done.stderr, cpu)


class _Run:
    def __init__(self, seconds: float, returncode: int, stderr: str, cpu: float) -> None:
        self.seconds, self.returncode, self.stderr, self.cpu = seconds, returncode, stderr, cpu


def _checked(run, what: str):
    if run.returncode != 0:
        raise SystemExit(f"{what} failed: {run.stderr.strip()[-1500:]}")
    return run


def _baseline(revision: str, target: Path) -> Path:
    """The package at `revision`, extracted from git (no worktree is registered)."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "indexer"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


class _SyntheticEncoder:
    """Deterministic unit vectors from each text's hash: the large collection's stand-in for the model."""

    def __init__(self, spec) -> None:
        self.spec = spec
        self.dimension = 384

    def encode_documents(self, texts, progress=None):
        import numpy as np

        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            row = np.random.default_rng(seed).standard_normal(self.dimension).astype(np.float32)
            out[i] = row / np.linalg.norm(row)
        return out

    encode_queries = encode_documents


def _large(root: Path, count: int) -> float:
    """`count` generated notes and their index (synthetic vectors); returns the seconds it took."""
    from indexer.catalog import scan
    from indexer.embedding import resolve_model
    from indexer.store import build

    started = time.perf_counter()
    copy_notes(root, count)
    spec = resolve_model()
    build(scan(root), spec, lambda: _SyntheticEncoder(spec))
    return time.perf_counter() - started


def _prepare(kind: str, notes: Path, ours: Path, base: Path | None) -> Path | None:
    """Index `notes` (with the baseline first when given, then a copy upgraded by ours); the baseline's folder."""
    base_notes = None
    if base is not None and kind == "small":
        _checked(_cli(base, notes, "index"), "baseline index")
        base_notes = notes.parent / f"{notes.name}-baseline"
        shutil.copytree(notes, base_notes)
    time.sleep(2.1)  # past the window in which a just-written note's stat proves nothing
    _checked(_cli(ours, notes, "index"), "index")
    _checked(_cli(ours, notes, "index"), "index")
    return base_notes


def _measure(label: str, kind: str, notes: Path, ours: Path, base: Path | None, base_notes: Path | None, repeat: int, batch: str) -> str:
    """Rounds of floor / list / show / ask / index (/ ask -), ours and baseline alternating."""
    show_key = sorted(p.stem for p in notes.rglob("*.md"))[0]
    commands = {
        "list": ("list",),
        "show": ("show", show_key),
        "ask": ("ask", "--json", QUESTION),
        "index": ("index",),
    }
    codes = {"ours": (ours, notes)} | ({"baseline": (base, base_notes)} if base and base_notes else {})
    times: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}

    def record(name: str, who: str, run) -> None:
        times.setdefault((name, who), []).append(run.seconds)
        cpus.setdefault((name, who), []).append(run.cpu)

    loads = [os.getloadavg()[0]]
    for _ in range(repeat):
        record("floor", "ours", _checked(run_child([sys.executable, "-c", FLOOR], env=child_env()), "floor"))
        for name, argv in commands.items():
            for who, (code, folder) in codes.items():
                record(name, who, _checked(_cli(code, folder, *argv), f"{who} {name}"))
        if kind == "small":
            for who, (code, folder) in codes.items():
                record("ask -", who, _checked(_cli(code, folder, "ask", "-", "--json", stdin=batch), f"{who} ask -"))
        loads.append(os.getloadavg()[0])
    floor = median(times[("floor", "ours")])
    floor_cpu = median(cpus[("floor", "ours")])
    rows = []
    for name in ("floor", *commands, *(("ask -",) if kind == "small" else ())):
        ours_t, ours_c = times[(name, "ours")], cpus[(name, "ours")]
        base_t, base_c = times.get((name, "baseline"), []), cpus.get((name, "baseline"), [])
        target = "" if name == "floor" else TARGETS[kind].get(name, "")
        ratio = f"{median(ours_t) / floor:.2f}× ({median(ours_c) / floor_cpu:.2f}×)" if name != "floor" else "1×"
        rows.append((name, median(ours_t), min(ours_t), median(ours_c), ratio, median(base_t) if base_t else "-", median(base_c) if base_c else "-", target))
    headers = ("command", "ours p50 s", "ours best s", "ours CPU s", "ours / floor (CPU)", "baseline p50 s", "baseline CPU s", "target")
    body = f"### {label}\n\n" + table(headers, rows)
    count = len(batch.splitlines())
    body += f"\n\n{repeat} rounds; `ask -` answers {count} questions in one process; load average (1 min) {min(loads):.1f}–{max(loads):.1f}"
    return body


def _outside(given: Path | None) -> Path | None:
    if given is not None:
        return given
    shared = os.environ.get("PAPERNOTES_SHARED_CORPORA")
    for base in ([Path(shared)] if shared else []) + [REPO.parent / "shared" / "corpora", Path("/work/shared/corpora")]:
        if (base / "papers_we_read").is_dir():
            return base / "papers_we_read"
    return None


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and print (and return) its tables."""

    def extra(parser) -> None:
        parser.add_argument("--collection", type=Path, default=None, help="an outside collection to import (read-only)")
        parser.add_argument("--large", type=int, default=None, help="generated notes for the large collection (default 10000)")
        parser.add_argument("--baseline", default=None, help="git revision to compare against (e.g. the commit before)")
        parser.add_argument("--only", default=None, help="comma-separated: content,100,outside,large")
        parser.add_argument("--keep", type=Path, default=None, help="keep the large collection in DIR/large-N for reruns (it takes minutes to write)")

    args = arguments(__doc__.splitlines()[0], extra, argv)
    repeat = args.repeat or (1 if args.smoke else 5)
    large = args.large or (60 if args.smoke else 10_000)
    only = set(args.only.split(",")) if args.only else {"content", "100", "outside", "large"}
    if args.smoke:
        only -= {"100", "outside"}
    batch = "\n".join((questions() * 2)[: 10 if args.smoke else 100]) + "\n"
    ours = REPO
    parts = []
    with tempfile.TemporaryDirectory(prefix="papernotes-bench-") as tmp:
        tmp_path = Path(tmp)
        base = _baseline(args.baseline, tmp_path / "baseline") if args.baseline else None
        collections: list[tuple[str, str, Path]] = []
        if "content" in only:
            collections.append((f"content/ ({len(list((REPO / 'content').glob('*.md')))} notes)", "small", copy_notes(tmp_path / "content")))
        if "100" in only:
            collections.append(("100 notes made from content/", "small", copy_notes(tmp_path / "hundred", 100)))
        outside = _outside(args.collection) if "outside" in only else None
        if outside is not None:
            notes = tmp_path / "outside"
            _checked(_cli(ours, notes, "import", str(outside)), "import")
            collections.append((f"{outside.name} ({len(list(notes.rglob('*.md')))} notes, imported)", "small", notes))
        for label, kind, notes in collections:
            base_notes = _prepare(kind, notes, ours, base)
            parts.append(_measure(label, kind, notes, ours, base, base_notes, repeat, batch))
        if "large" in only:
            notes = (args.keep / f"large-{large}") if args.keep else tmp_path / "large"
            kept = (notes / ".papernotes" / "index.sqlite").exists() and len(list(notes.glob("*.md"))) == large
            if not kept:
                shutil.rmtree(notes, ignore_errors=True)
            seconds = 0.0 if kept else _large(notes, large)
            _prepare("large", notes, ours, None)  # a kept index written by older code is upgraded here
            body = _measure(f"{large:,} generated notes (index with synthetic vectors)", "large", notes, ours, None, None, repeat, batch)
            parts.append(body + ("; notes and index kept from an earlier run" if kept else f"; generating the notes and their index took {seconds:.0f} s"))
    return report("Instant commands", "\n\n".join(parts))


if __name__ == "__main__":
    main()
