"""Concurrency: one writer at a time (the others wait or exit with a clear message); readers never stop."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from indexer.errors import IndexBusyError
from indexer.notes import load_notes
from indexer.store import StoredIndex, build, index_dir, write_lock
from tests.reliability.support import (
    assert_one_clear_error,
    chunk_rows,
    model_name,
    note_text,
    notes_on_disk,
    run_cli,
    start_cli,
    write_corpus,
)

SEED = 4242
NOTES = 30


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, build_index) -> Path:
    """A notes folder with a complete index, built once for this module."""
    notes = tmp_path_factory.mktemp("concurrency") / "notes"
    write_corpus(notes, NOTES, seed=SEED, filler=1)
    build_index(notes)
    return notes


@pytest.fixture
def notes(pristine: Path, tmp_path: Path) -> Path:
    """A private copy of the built notes folder."""
    copy = tmp_path / "notes"
    shutil.copytree(pristine, copy)
    return copy


def _edit(notes: Path, count: int, revision: int) -> None:
    """Rewrite `count` notes so that an update has chunks to embed."""
    rng = random.Random(revision)
    for index in range(count):
        path = sorted(notes.glob("*.md"))[index]
        number = int(path.stem.rsplit("-", 1)[1])
        path.write_text(note_text(number, rng, filler=1, revision=revision), encoding="utf-8")


def _wait_for_lock_holder(notes: Path, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Wait until `process` holds the writer lock (it writes its pid into the lock file)."""
    lock = index_dir(notes) / "lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == f"papernotes pid {process.pid}":
            return
        assert process.poll() is None, "the indexer ended before it took the lock"
        time.sleep(0.005)
    raise AssertionError("the indexer never took the lock")


def test_second_cli_indexer_exits_with_a_clear_message_and_the_app_gets_busy(notes: Path, spec) -> None:
    _edit(notes, 10, revision=1)
    first = start_cli("index", notes=notes)
    try:
        _wait_for_lock_holder(notes, first)
        with pytest.raises(IndexBusyError, match=f"papernotes pid {first.pid}"):
            build(load_notes(notes), spec, lambda: pytest.fail("the encoder must not load"), wait=0)
        second = run_cli("index", notes=notes)
        assert_one_clear_error(second, f"being updated by papernotes pid {first.pid}", "--wait")
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    assert notes_on_disk(notes) == {n.id: n.content_hash for n in StoredIndex(notes, spec).notes.values()}


def test_cli_waits_for_the_app_with_wait_and_exits_cleanly_without(notes: Path) -> None:
    """The app (this process) holds the writer lock; the CLI reports it, or waits for it with --wait."""
    _edit(notes, 2, revision=2)
    folder = index_dir(notes)
    with write_lock(folder):
        busy = run_cli("index", notes=notes)
        assert_one_clear_error(busy, "is being updated by papernotes pid", "--wait")
        waiting = start_cli("index", "--wait", "300", notes=notes)
        time.sleep(3)
        assert waiting.poll() is None, "the CLI did not wait for the lock"
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err.decode()
    assert "2 updated" in out.decode()


def test_killed_lock_holder_releases_the_lock(notes: Path) -> None:
    _edit(notes, 3, revision=3)
    holder = start_cli("index", notes=notes)
    _wait_for_lock_holder(notes, holder)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=60)
    with write_lock(index_dir(notes), wait=5):
        pass


def test_two_asks_on_a_stale_index_both_answer(notes: Path, spec) -> None:
    """Both `ask` runs want to update the index: one updates it, the other answers meanwhile (from the last good index, with a warning), then both have answered."""
    _edit(notes, 4, revision=4)
    question = f"How many frames per second does {model_name(0)} run at?"
    runs = [start_cli("ask", question, "--json", notes=notes) for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err.decode()
        assert b"Traceback" not in err
        assert b'"answer"' in out
    index = StoredIndex(notes, spec)
    assert {n.id: n.content_hash for n in index.notes.values()} == notes_on_disk(notes)
    assert chunk_rows(notes, index.generation) == index.size
    index.close()


@pytest.mark.slow
def test_readers_keep_answering_while_cli_builds_run(notes: Path, spec, ask) -> None:
    """An open reader and fresh readers answer throughout two updates and a --rebuild by the CLI."""
    question = f"How many frames per second does {model_name(5)} run at?"
    held = StoredIndex(notes, spec)
    first_generation = held.generation
    stop = threading.Event()
    errors: list[BaseException] = []
    seen: list[int] = []
    answered = [0]

    def read() -> None:
        while not stop.is_set():
            try:
                assert ask(held, question).citations[0].note.endswith("-005")
                fresh = StoredIndex(notes, spec)
                try:
                    assert chunk_rows(notes, fresh.generation) == fresh.size
                    assert ask(fresh, question).citations[0].note.endswith("-005")
                    seen.append(fresh.generation)
                finally:
                    fresh.close()
                answered[0] += 1
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                errors.append(error)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        for revision, args in ((5, ("index",)), (6, ("index",)), (7, ("index", "--rebuild"))):
            _edit(notes, 3, revision=revision)
            result = run_cli(*args, notes=notes)
            assert result.returncode == 0, result.stderr
            time.sleep(0.5)
    finally:
        stop.set()
        reader.join(timeout=120)
    assert not errors, repr(errors[0])
    assert answered[0] >= 5, "the reader hardly ran"
    assert seen == sorted(seen) and seen[-1] > first_generation, seen
    assert held.generation == first_generation
    assert ask(held, question).citations[0].note.endswith("-005")
    held.close()


def test_ask_answers_from_the_last_index_while_a_long_build_holds_the_lock(notes: Path) -> None:
    """Stale beats broken: with a usable index, `ask` doesn't wait for another build; it warns once and answers."""
    _edit(notes, 3, revision=7)
    question = f"How many frames per second does {model_name(0)} run at?"
    with write_lock(index_dir(notes)):  # a long `papernotes index` elsewhere, as far as the CLI can tell
        asked = run_cli("ask", question, "--json", notes=notes)
        update = run_cli("index", notes=notes)
    assert asked.returncode == 0, asked.stderr
    assert b"Traceback" not in asked.stderr.encode()
    assert '"answer"' in asked.stdout
    warnings = [line for line in asked.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, asked.stderr
    assert warnings[0].startswith("warning: 3 notes changed since the index was built: the index is being updated by papernotes pid ")
    assert_one_clear_error(update, "is being updated by papernotes pid", "--wait SECONDS")
    assert update.returncode == 2
