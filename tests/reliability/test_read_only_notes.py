"""Notes on a read-only mount: the index goes to the user cache, answers are right, nothing is written there.

Real read-only bind mounts (`mount --bind` + `remount,ro`): root can write through permission bits,
not through a read-only mount, which the fixture checks first.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from indexer.store import DB_NAME
from tests.conftest import CONTENT
from tests.reliability.mounts import read_only_view, tree
from tests.reliability.support import cli_env

NOTES = ("mobilesam.md", "sam.md", "clip.md", "detr.md", "vit.md")
QUESTION = "which distillation worked best for MobileSAM?"


def papernotes(*args: str | Path, cache: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`papernotes ARGS` with the user cache in `cache` (platformdirs honours XDG_CACHE_HOME)."""
    env = {**cli_env(), "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600, env=env, cwd=cwd,
    )


def _copy_notes(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in NOTES:
        shutil.copy2(CONTENT / name, folder / name)
    return folder


def test_read_only_notes_are_indexed_in_the_cache_and_never_written(tmp_path: Path) -> None:
    source = _copy_notes(tmp_path / "shared")
    cache = tmp_path / "cache"
    before = tree(source)
    with read_only_view(source, tmp_path / "mounted") as notes:
        asked = papernotes("ask", QUESTION, "--json", "--notes", notes, cache=cache, cwd=tmp_path)
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        assert not answer.get("refused") and answer["answer"]
        assert "decoupled distillation" in answer["answer"].lower()
        assert answer["citations"][0]["note"] == "mobilesam"
        said = [line for line in asked.stderr.splitlines() if line.startswith("index: ")]
        assert len(said) == 1, asked.stderr  # where the index went, said once
        assert str(cache) in said[0] and "can't be written" in said[0]

        info = papernotes("info", "--json", "--notes", notes, cache=cache, cwd=tmp_path)
        assert info.returncode == 0, info.stderr
        facts = json.loads(info.stdout)
        index = Path(facts["index_folder"])
        assert index.is_relative_to(cache / "papernotes" / "indexes")
        assert (index / DB_NAME).is_file()
        assert facts["state"] == "up to date" and facts["indexed_notes"] == len(NOTES)

        again = papernotes("index", "--notes", notes, cache=cache, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert f"0 added, 0 updated, 0 removed, {len(NOTES)} unchanged" in again.stdout
    assert tree(source) == before  # nothing written under the notes, not even .papernotes/
    assert not (source / ".papernotes").exists()


def test_read_only_index_answers_stale_with_one_warning_and_index_fails(tmp_path: Path) -> None:
    """An explicit --index on a read-only mount: readers answer from it with a warning; `index` exits 2."""
    notes = _copy_notes(tmp_path / "notes")
    cache = tmp_path / "cache"
    built = tmp_path / "built-index"
    first = papernotes("index", "--notes", notes, "--index", built, cache=cache, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    shutil.copy2(CONTENT / "yolo9000.md", notes / "yolo9000.md")  # changed since the build
    with read_only_view(built, tmp_path / "frozen-index") as index:
        before = tree(built)
        asked = papernotes("ask", QUESTION, "--json", "--notes", notes, "--index", index, cache=cache, cwd=tmp_path)
        assert asked.returncode == 0, asked.stderr
        assert json.loads(asked.stdout)["citations"][0]["note"] == "mobilesam"
        warnings = [line for line in asked.stderr.splitlines() if line.startswith("warning: ")]
        assert warnings == [f"warning: 1 note changed since the index was built: {index} is read-only"], asked.stderr

        update = papernotes("index", "--notes", notes, "--index", index, cache=cache, cwd=tmp_path)
        assert update.returncode == 2
        lines = [line for line in update.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in update.stderr, update.stderr
        assert lines[0].startswith(f"papernotes: cannot update the index in {index}: {index} is read-only")
        assert tree(built) == before
    assert not list(built.glob("*.tmp-*"))
    assert not (cache / "papernotes").exists()  # an explicit index never falls back to the cache
