"""A full disk: readers answer from the last good generation with one warning, only `index` fails, nothing partial stays.

Real filesystem limits: the notes and their index live on a 3 MB tmpfs, filled up with a file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.errors import IndexWriteError
from indexer.store import StoredIndex, index_dir
from tests.conftest import CONTENT
from tests.reliability.mounts import fill, small_tmpfs
from tests.reliability.support import cli_env

FIRST = ("mobilesam.md", "clip.md", "detr.md", "dinov2.md")
LATER = ("yolo9000.md", "vit.md")
OLD_QUESTION = "which distillation worked best for MobileSAM?"
NEW_QUESTION = "How many anchor boxes does YOLO9000 use?"


def papernotes(*args: str | Path, notes: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *map(str, args), "--notes", str(notes)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600, env=cli_env(),
        cwd=notes.parent,
    )


def _leftovers(notes: Path, generations: set[str]) -> list[str]:
    """Staging folders, and generation folders other than `generations`: what a failed build must not leave."""
    folder = index_dir(notes)
    return sorted(p.name for p in folder.glob("gen-*") if ".tmp-" in p.name or p.name not in generations)


@pytest.fixture
def disk(tmp_path: Path) -> Path:
    with small_tmpfs(tmp_path / "disk", "3m") as mounted:
        notes = mounted / "notes"
        notes.mkdir()
        for name in FIRST:
            shutil.copy2(CONTENT / name, notes / name)
        yield notes


def test_full_disk_after_a_build_answers_from_the_last_generation(disk: Path) -> None:
    notes = disk
    built = papernotes("index", notes=notes)
    assert built.returncode == 0, built.stderr
    generations = {p.name for p in index_dir(notes).glob("gen-*")}
    for name in LATER:
        shutil.copy2(CONTENT / name, notes / name)
    filler = fill(notes.parent)
    mount = notes.parent
    reason = f"no space left on {mount}"

    asked = papernotes("ask", OLD_QUESTION, "--json", notes=notes)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["citations"][0]["note"] == "mobilesam"
    warnings = [line for line in asked.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: 2 notes changed since the index was built: {reason}"], asked.stderr
    assert "Traceback" not in asked.stderr

    listed = papernotes("list", notes=notes)
    assert listed.returncode == 0, listed.stderr
    assert "yolo9000" in listed.stdout

    update = papernotes("index", notes=notes)
    assert update.returncode == 2
    lines = [line for line in update.stderr.splitlines() if line.strip()]
    assert lines == [
        f"papernotes: cannot update the index in {index_dir(notes)}: {reason} (free some space, then run: papernotes index)"
    ], update.stderr
    assert _leftovers(notes, generations) == []

    filler.unlink()
    again = papernotes("index", notes=notes)
    assert again.returncode == 0, again.stderr
    assert "2 added" in again.stdout
    fresh = papernotes("ask", NEW_QUESTION, "--json", notes=notes)
    assert fresh.returncode == 0, fresh.stderr
    assert "warning" not in fresh.stderr
    assert json.loads(fresh.stdout)["citations"][0]["note"] == "yolo9000"


@pytest.mark.parametrize("stage", ["embedding", "embedding sentences", "writing"])
def test_disk_filled_mid_build_leaves_the_previous_generation_whole(
    disk: Path, stage: str, build_index: Callable[..., object], ask: Callable[..., object]
) -> None:
    """The disk fills while the update embeds or writes: IndexWriteError, nothing partial, old answers stay."""
    notes = disk
    build_index(notes)
    generations = {p.name for p in index_dir(notes).glob("gen-*")}
    for name in LATER:
        shutil.copy2(CONTENT / name, notes / name)
    filled: list[Path] = []

    def progress(now: str, done: int, total: int) -> None:
        if now == stage and not filled:
            filled.append(fill(notes.parent))

    with pytest.raises(IndexWriteError) as failure:
        build_index(notes, progress=progress)
    assert filled, f"the build never reached {stage!r}"
    assert failure.value.reason == f"no space left on {notes.parent}"
    assert _leftovers(notes, generations) == []

    index = StoredIndex(notes)
    try:
        assert set(index.notes) == {Path(name).stem for name in FIRST}
        assert ask(index, OLD_QUESTION).citations[0].note == "mobilesam"
    finally:
        index.close()

    filled[0].unlink()
    report = build_index(notes)
    assert sorted(report.added) == sorted(Path(name).stem for name in LATER)
    assert ask(notes, NEW_QUESTION).citations[0].note == "yolo9000"
    assert not list(index_dir(notes).glob("*.tmp-*"))
