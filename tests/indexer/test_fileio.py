"""Atomic writes: whole files only, and the permissions a note's owner expects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.fileio import atomic_write_bytes, atomic_write_text
from indexer.importers import import_sources


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_not_owner_only(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "sub" / "note.md"
    atomic_write_text(target, "# Note\n")
    assert target.read_text(encoding="utf-8") == "# Note\n"
    assert mode(target) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["note.md"]  # no temp file left


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "note.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new\n")
    assert target.read_bytes() == b"new\n" and mode(target) == 0o640


def test_imported_notes_are_readable_like_their_sources(tmp_path: Path, umask_022: None) -> None:
    source = tmp_path / "repo"
    source.mkdir()
    (source / "zebra.md").write_text("# Zebra Net\n\nZebraNet has stripes.\n", encoding="utf-8")
    import_sources([source], tmp_path / "notes")
    assert mode(tmp_path / "notes" / "zebra.md") == 0o644
