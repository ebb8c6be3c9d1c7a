"""Corruption: a damaged index is detected with one clear message naming the fix, never a traceback or an answer."""

from __future__ import annotations

import random
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from indexer.errors import IndexCorruptError
from indexer.store import DB_NAME, StoredIndex, index_dir
from tests.reliability.support import assert_one_clear_error, model_name, run_cli, write_corpus

SEED = 99
REBUILD = "papernotes index --rebuild"
QUESTION = f"How many frames per second does {model_name(3)} run at?"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, build_index) -> Path:
    """A small notes folder with a complete index, built once for this module."""
    notes = tmp_path_factory.mktemp("corruption") / "notes"
    write_corpus(notes, 6, seed=SEED, filler=0)
    build_index(notes)
    return notes


def _generation_folder(notes: Path) -> Path:
    index = StoredIndex(notes)
    try:
        return index_dir(notes) / f"gen-{index.generation:06d}"
    finally:
        index.close()


def _garbage(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def _set_manifest(notes: Path, **values: str) -> None:
    connection = sqlite3.connect(index_dir(notes) / DB_NAME)
    with connection:
        connection.executemany("UPDATE manifest SET value=? WHERE key=?", [(v, k) for k, v in values.items()])
    connection.close()


def _faiss_truncated(notes: Path) -> None:
    path = _generation_folder(notes) / "vectors.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _faiss_empty(notes: Path) -> None:
    (_generation_folder(notes) / "vectors.faiss").write_bytes(b"")


def _faiss_garbage(notes: Path) -> None:
    path = _generation_folder(notes) / "vectors.faiss"
    path.write_bytes(_garbage(path.stat().st_size))


def _faiss_missing(notes: Path) -> None:
    (_generation_folder(notes) / "vectors.faiss").unlink()


def _faiss_other_dimension(notes: Path) -> None:
    import faiss

    path = _generation_folder(notes) / "vectors.faiss"
    size = faiss.read_index(str(path)).ntotal
    other = faiss.IndexFlatIP(768)
    other.add(np.random.default_rng(0).random((size, 768), dtype=np.float32))
    faiss.write_index(other, str(path))


def _bm25_garbage(notes: Path) -> None:
    path = _generation_folder(notes) / "bm25" / "scores.npy"
    path.write_bytes(_garbage(path.stat().st_size))


def _bm25_missing(notes: Path) -> None:
    (_generation_folder(notes) / "bm25" / "terms.txt").unlink()


def pickled_npy(marker: Path) -> bytes:
    """An .npy file holding an object array whose pickle would create `marker` if it were ever loaded."""
    payload = f"cbuiltins\nopen\n(S'{marker}'\nS'w'\ntR.".encode()
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def _bm25_pickle(notes: Path) -> None:
    path = _generation_folder(notes) / "bm25" / "scores.npy"
    path.write_bytes(pickled_npy(notes.parent / "PICKLE-RAN"))


def _sqlite_garbage(notes: Path) -> None:
    path = index_dir(notes) / DB_NAME
    path.write_bytes(_garbage(path.stat().st_size))


def _sqlite_truncated(notes: Path) -> None:
    path = index_dir(notes) / DB_NAME
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _sqlite_pages(notes: Path) -> None:
    """A valid header and schema page followed by damaged pages."""
    path = index_dir(notes) / DB_NAME
    data = path.read_bytes()
    path.write_bytes(data[:4096] + _garbage(len(data) - 4096))


def _sqlite_empty(notes: Path) -> None:
    (index_dir(notes) / DB_NAME).write_bytes(b"")


def _other_model(notes: Path) -> None:
    _set_manifest(notes, model_name="some-other-model", model_fingerprint="0123456789abcdef")


def _other_dimension(notes: Path) -> None:
    _set_manifest(notes, dimension="768")


def _newer_schema(notes: Path) -> None:
    _set_manifest(notes, schema_version="99")


def _chunk_count(notes: Path) -> None:
    _set_manifest(notes, chunks="5")


def _garbage_manifest(notes: Path) -> None:
    _set_manifest(notes, generation="not a number")


def _missing_generation(notes: Path) -> None:
    shutil.rmtree(_generation_folder(notes))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "faiss truncated": _faiss_truncated,
    "faiss empty": _faiss_empty,
    "faiss garbage": _faiss_garbage,
    "faiss missing": _faiss_missing,
    "faiss of another dimension": _faiss_other_dimension,
    "bm25 garbage": _bm25_garbage,
    "bm25 missing": _bm25_missing,
    "bm25 holding a pickle": _bm25_pickle,
    "sqlite garbage": _sqlite_garbage,
    "sqlite truncated": _sqlite_truncated,
    "sqlite damaged pages": _sqlite_pages,
    "sqlite empty file": _sqlite_empty,
    "manifest for another model": _other_model,
    "manifest for another dimension": _other_dimension,
    "manifest from a newer schema": _newer_schema,
    "manifest with a wrong chunk count": _chunk_count,
    "manifest with a garbage generation": _garbage_manifest,
    "generation folder missing": _missing_generation,
}


NEEDS_REBUILD = {"sqlite garbage", "sqlite truncated", "sqlite damaged pages", "manifest from a newer schema"}
"""Damage that `papernotes index` reports (saying --rebuild) rather than repairs."""
REWRITTEN_FROM_CACHE = {name for name in DAMAGE if name.startswith(("faiss", "bm25", "generation"))} | {
    "manifest for another dimension",
    "manifest with a wrong chunk count",
}
"""Damage to the generation's files that a plain `papernotes index` rewrites from cached vectors."""


@pytest.fixture(params=sorted(DAMAGE), ids=lambda name: name.replace(" ", "-"))
def damaged(request: pytest.FixtureRequest, pristine: Path, tmp_path: Path) -> Path:
    """A copy of the built notes folder with one kind of damage (the folder is named after it)."""
    notes = tmp_path / request.param
    shutil.copytree(pristine, notes)
    DAMAGE[request.param](notes)
    return notes


def test_damage_is_one_clear_message_then_rebuild_repairs(damaged: Path, spec, build_index, ask) -> None:
    with pytest.raises(IndexCorruptError) as caught:
        StoredIndex(damaged, spec).close()
    assert REBUILD in str(caught.value) and "\n" not in str(caught.value)

    result = run_cli("ask", QUESTION, "--json", notes=damaged)
    assert_one_clear_error(result, REBUILD)
    assert result.stdout == "", "a damaged index must not answer"
    assert not (damaged.parent / "PICKLE-RAN").exists(), "a pickle in the index was executed"

    damage = damaged.name
    try:
        report = build_index(damaged)
    except IndexCorruptError as error:  # the database itself is unusable: only --rebuild helps
        assert damage in NEEDS_REBUILD and REBUILD in str(error), str(error)
        build_index(damaged, rebuild=True)
    else:
        assert damage not in NEEDS_REBUILD
        if damage in REWRITTEN_FROM_CACHE:
            assert report.chunks_embedded == 0 and report.full_rebuild_reason, report
    answer = ask(damaged, QUESTION)
    assert answer.citations[0].note.endswith("-003")


@pytest.mark.parametrize("damage", sorted(NEEDS_REBUILD))
def test_index_command_on_a_damaged_database_says_rebuild(damage: str, pristine: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(pristine, notes)
    DAMAGE[damage](notes)
    assert_one_clear_error(run_cli("index", notes=notes), REBUILD)


def test_cli_index_rewrites_damaged_files_without_embedding(pristine: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(pristine, notes)
    _faiss_truncated(notes)
    repaired = run_cli("index", notes=notes)
    assert repaired.returncode == 0 and "Traceback" not in repaired.stderr, repaired.stderr
    assert "index files were damaged" in repaired.stderr and " 0 of " in repaired.stdout
    answered = run_cli("ask", QUESTION, "--json", notes=notes)
    assert answered.returncode == 0 and '"answer": "' in answered.stdout, answered.stderr


def test_cli_rebuild_repairs_a_garbage_database(pristine: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(pristine, notes)
    _sqlite_garbage(notes)
    rebuilt = run_cli("index", "--rebuild", notes=notes)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    answered = run_cli("ask", QUESTION, "--json", notes=notes)
    assert answered.returncode == 0, answered.stderr
    assert '"answer": "' in answered.stdout
