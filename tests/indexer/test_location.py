"""Where the index lives: explicit folder, $PAPERNOTES_INDEX, the notes folder, or the user cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.store import INDEX_DIR, locate
from indexer.store.location import cache_folder


def test_explicit_beats_environment_beats_notes_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    monkeypatch.delenv("PAPERNOTES_INDEX", raising=False)
    assert locate(notes).folder == notes / INDEX_DIR and locate(notes).note is None
    monkeypatch.setenv("PAPERNOTES_INDEX", str(tmp_path / "env-index"))
    assert locate(notes).folder == tmp_path / "env-index"
    assert locate(notes, tmp_path / "flag-index").folder == tmp_path / "flag-index"


def test_read_only_notes_go_to_a_cache_folder_keyed_by_their_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERNOTES_INDEX", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    a, b = tmp_path / "a" / "notes", tmp_path / "b" / "notes"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    place = locate(a, read_only=True)
    assert place.folder.parent == tmp_path / "cache" / "papernotes" / "indexes"
    assert place.folder.name.startswith("notes-")
    assert place.note is not None and str(place.folder) in place.note
    assert cache_folder(a) != cache_folder(b)  # same name, different folders
    assert cache_folder(a) == cache_folder(tmp_path / "b" / ".." / "a" / "notes")  # resolved


def test_cli_index_flag_and_info(tmp_path: Path, content_kb) -> None:
    """`--index DIR` puts the index there; `info --json` reports notes, index folder, model and counts."""
    notes = content_kb.root
    index = tmp_path / "elsewhere"
    run = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "info", "--json", "--notes", str(notes), "--index", str(index)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    facts = json.loads(run.stdout)
    assert facts["index_folder"] == str(index) and facts["index_location"] == "--index"
    assert facts["state"].startswith("no index yet") and facts["chunks"] is None
    here = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "info", "--json", "--notes", str(notes)],
        capture_output=True, text=True, timeout=300,
    )
    facts = json.loads(here.stdout)
    assert facts["index_folder"] == str(notes / INDEX_DIR)
    assert facts["state"] == "up to date"
    assert facts["indexed_notes"] == facts["notes"] == len(content_kb.notes().notes)
    assert facts["chunks"] > 0 and facts["model"] == "all-MiniLM-L6-v2" and facts["precision"] == "fp32"
    assert facts["last_build"]
