"""Helpers for the reliability tests: generated notes, CLI subprocesses, and looking inside an index."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from indexer.notes import load_notes
from indexer.store import DB_NAME, index_dir

_PREFIXES = [
    "Lumo", "Brisk", "Quill", "Vanta", "Ortho", "Pixel", "Tessa", "Kairo", "Nimbus", "Sparrow",
    "Cobalt", "Fjord", "Gala", "Helix", "Ivory", "Juniper", "Krypto", "Lattice", "Mosaic", "Nova",
]
_SUFFIXES = ["Net", "Former", "Seg", "Det", "Mix", "Flow", "Grid", "Lens", "Mask", "Track"]
_TASKS = [
    "image segmentation", "object detection", "depth estimation", "image classification",
    "video tracking", "pose estimation", "optical flow", "image captioning",
]
_DATASETS = ["ImageNet", "COCO", "ADE20K", "Cityscapes", "LVIS", "KITTI", "NYUv2", "DAVIS"]
_HARDWARE = ["A100 GPU", "V100 GPU", "RTX 3090", "Jetson Orin", "Pixel phone", "laptop CPU"]
_BLOCKS = ["attention", "convolution", "MLP-mixer", "state-space", "deformable attention"]
_ADJECTIVES = ["lightweight", "hierarchical", "promptable", "distilled", "sparse", "multi-scale"]
_FILLER_NOUNS = [
    "decoder", "backbone", "loss", "schedule", "augmentation", "benchmark", "ablation", "baseline",
    "resolution", "tokenizer", "head", "teacher", "student", "memory", "latency", "checkpoint",
]
_FILLER_VERBS = ["improves", "reduces", "replaces", "stabilises", "simplifies", "extends", "speeds up"]


@dataclass(frozen=True)
class Fact:
    """A question whose answer is in exactly one note."""

    note_id: str
    question: str


def model_name(index: int) -> str:
    """A unique, pronounceable model name for note `index` (up to 200 notes)."""
    return _PREFIXES[index % len(_PREFIXES)] + _SUFFIXES[(index // len(_PREFIXES)) % len(_SUFFIXES)]


def note_text(index: int, rng: random.Random, *, filler: int = 3, revision: int = 0) -> str:
    """The Markdown of note `index`: front matter, three sections of facts, `filler` extra paragraphs."""
    name = model_name(index)
    task = rng.choice(_TASKS)
    dataset = rng.choice(_DATASETS)
    lines = [
        "---",
        f'title: "{name}: a {rng.choice(_ADJECTIVES)} model for {task}"',
        f"year: {rng.randint(2015, 2025)}",
        f"tags: [{task.replace(' ', '-')}, generated]",
        f"aliases: [{name} model]",
        "---",
        "",
        f"# {name}",
        "",
        "## The idea",
        "",
        f"{name} is a {rng.choice(_ADJECTIVES)} model for {task}.",
        f"{name} reaches {rng.uniform(40, 95):.1f}% accuracy on {dataset} with {rng.randint(3, 900)} million parameters.",
        "",
        "## How it works",
        "",
        f"- The encoder of {name} stacks {rng.randint(2, 24)} {rng.choice(_BLOCKS)} blocks.",
        f"- Training {name} took {rng.randint(1, 40)} days on {rng.randint(1, 256)} GPUs.",
        f"- {name} runs at {rng.randint(2, 400)} frames per second on a {rng.choice(_HARDWARE)}.",
        "",
        "## Notes",
        "",
    ]
    for paragraph in range(filler):
        words = [
            f"The {rng.choice(_FILLER_NOUNS)} of {name} {rng.choice(_FILLER_VERBS)} the "
            f"{rng.choice(_FILLER_NOUNS)} by {rng.randint(2, 60)} percent in experiment {paragraph + 1}."
            for _ in range(rng.randint(3, 6))
        ]
        lines += [" ".join(words), ""]
    if revision:
        lines += [f"Revision {revision}: {name} was re-evaluated on {rng.choice(_DATASETS)}.", ""]
    return "\n".join(lines)


def note_id(index: int) -> str:
    """The id (file stem) of note `index`."""
    return f"{model_name(index).lower()}-{index:03d}"


def write_corpus(folder: Path, count: int, *, seed: int, filler: int = 3, start: int = 0) -> list[Fact]:
    """Write notes `start`..`start + count - 1` into `folder`; returns one answerable question per note."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    facts = []
    for index in range(start, start + count):
        (folder / f"{note_id(index)}.md").write_text(note_text(index, rng, filler=filler), encoding="utf-8")
        facts.append(Fact(note_id(index), f"How many frames per second does {model_name(index)} run at?"))
    return facts


def unanswerable_questions() -> list[str]:
    """Questions about things no generated note mentions."""
    return [
        "What is the boiling point of mercury?",
        "Who won the 1998 football world cup?",
        "How do I bake sourdough bread?",
        "What is the capital of Mongolia?",
    ]


# --- running the CLI -------------------------------------------------------------------------


def cli_command(*args: str | Path, notes: Path) -> list[str]:
    """The argv of `papernotes ARGS --notes NOTES` run as a module of this interpreter."""
    return [sys.executable, "-m", "indexer.cli", *map(str, args), "--notes", str(notes)]


def cli_env() -> dict[str, str]:
    """The environment for CLI subprocesses: no notes/model overrides from the caller's shell.

    The export cache folder is kept, so subprocesses reuse the session's ONNX export (tests/conftest.py).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERNOTES_") or k == "PAPERNOTES_CACHE_DIR"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_cli(*args: str | Path, notes: Path, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `papernotes ARGS --notes NOTES` to completion, capturing text output."""
    return subprocess.run(
        cli_command(*args, notes=notes),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=cli_env(),
        cwd=notes.parent,
    )


def start_cli(*args: str | Path, notes: Path) -> subprocess.Popen[bytes]:
    """Start `papernotes ARGS --notes NOTES` without waiting; output goes to pipes."""
    return subprocess.Popen(
        cli_command(*args, notes=notes),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=notes.parent,
    )


def assert_one_clear_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """A failure: non-zero exit, no traceback, exactly one `papernotes: ...` line on stderr holding `needles`."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, f"expected a failure, got exit 0; stderr={result.stderr!r}"
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("papernotes: "), lines[0]
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


# --- looking inside an index ------------------------------------------------------------------


def current_generation(notes: Path) -> int:
    """The generation the manifest names as current."""
    connection = sqlite3.connect(f"file:{index_dir(notes) / DB_NAME}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT value FROM manifest WHERE key='generation'").fetchone()[0])
    finally:
        connection.close()


def chunk_rows(notes: Path, generation: int) -> int:
    """How many chunk rows SQLite holds for `generation`."""
    connection = sqlite3.connect(f"file:{index_dir(notes) / DB_NAME}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT COUNT(*) FROM chunks WHERE generation=?", (generation,)).fetchone()[0]
    finally:
        connection.close()


def notes_on_disk(notes: Path) -> dict[str, str]:
    """{note id: content hash} of the notes folder as it is now."""
    return {note.id: note.content_hash for note in load_notes(notes).notes}
