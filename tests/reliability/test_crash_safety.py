"""Crash safety: `papernotes index` killed with SIGKILL at random moments never leaves a broken index."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from indexer.embedding import Encoder, ModelSpec
from indexer.store import DB_NAME, BuildCancelled, StoredIndex, index_dir
from tests.reliability.support import (
    chunk_rows,
    model_name,
    note_id,
    note_text,
    notes_on_disk,
    run_cli,
    start_cli,
    write_corpus,
)

SEED = 20240607
NOTES = 30
MIN_KILLS = 20
ROUNDS = 24
TARGETED = {4: "staging", 10: "generation", 16: "staging", 22: "generation"}
"""Rounds that wait for the build to reach a point (its staging folder, its new generation folder) and kill there."""


def _fps_question(note: str) -> str:
    index = int(note.rsplit("-", 1)[1])
    return f"How many frames per second does {model_name(index)} run at?"


def _edit(notes: Path, rng: random.Random, round_no: int, next_index: list[int]) -> None:
    """Revise two notes and add one: the build must embed new chunks (model load, embedding)."""
    for path in rng.sample(sorted(notes.rglob("*.md")), k=2):
        index = int(path.stem.rsplit("-", 1)[1])
        path.write_text(note_text(index, random.Random(rng.random()), filler=1, revision=round_no), encoding="utf-8")
    index = next_index[0]
    next_index[0] += 1
    (notes / f"{note_id(index)}.md").write_text(note_text(index, rng, filler=1), encoding="utf-8")


def _move(notes: Path, rng: random.Random, round_no: int) -> None:
    """Move two notes to another folder (new ids, same text) and delete one: nothing to embed."""
    existing = sorted(notes.rglob("*.md"))
    for path in rng.sample(existing, k=2):
        target = notes / rng.choice(["a", "b", "c"]) / path.name
        if target != path:
            target.parent.mkdir(exist_ok=True)
            path.rename(target)
    if round_no % 4 == 1:
        rng.choice(sorted(notes.rglob("*.md"))).unlink()


def _change(kind: str, notes: Path, rng: random.Random, round_no: int, next_index: list[int]) -> None:
    if kind == "edit":
        _edit(notes, rng, round_no, next_index)
    else:
        _move(notes, rng, round_no)


def _wait_for(folder: Path, what: str, before: set[str], process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll until a build's staging folder (or a new generation folder) appears, or the build ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            names = set(os.listdir(folder))
        except FileNotFoundError:
            names = set()
        fresh = names - before
        if what == "staging" and any(".tmp-" in n for n in fresh):
            return
        if what == "generation" and any(n.startswith("gen-") and ".tmp-" not in n for n in fresh):
            return
        time.sleep(0.002)


def _check_reader(
    notes: Path,
    spec: ModelSpec,
    encoder: Encoder,
    ask: Callable,
    allowed: list[dict[str, str]],
    rng: random.Random,
) -> dict[str, str]:
    """A fresh reader opens, is consistent, and answers; returns the notes state it holds (one of `allowed`)."""
    index = StoredIndex(notes, spec)
    try:
        state = {n.id: n.content_hash for n in index.notes.values()}
        assert state in allowed, "the index holds a mix of two states of the notes"
        assert index.vector_index is not None
        assert chunk_rows(notes, index.generation) == index.size == index.vector_index.ntotal == index.lexical.size
        for note in state:
            assert index.rows_of_notes([note]), f"{note} has no chunks in generation {index.generation}"
        # FAISS row i is the vector of SQLite chunk row i: re-embed a few rows and compare.
        sample = rng.sample(range(index.size), k=2)
        fresh = encoder.encode_documents([f"{c.context}\n{c.text}" for c in index.chunks(sample)])
        assert np.all(np.sum(fresh * index.vectors_of(sample), axis=1) > 0.99)
        target = rng.choice(sorted(state))
        answer = ask(index, _fps_question(target))
        assert not answer.refused and answer.citations[0].note == target, answer.to_json()
        return state
    finally:
        index.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_index(tmp_path: Path, spec, encoder, build_index, ask) -> None:
    notes = tmp_path / "notes"
    write_corpus(notes, NOTES, seed=SEED, filler=1)
    folder = index_dir(notes)
    rng = random.Random(SEED)
    build_index(notes)
    states = [notes_on_disk(notes)]
    held = _check_reader(notes, spec, encoder, ask, states, rng)
    next_index = [NOTES]

    # One uninterrupted run of each kind, timed, sets the range of the random kill delays.
    duration: dict[str, float] = {}
    for kind in ("edit", "move"):
        _change(kind, notes, rng, 0, next_index)
        states.append(notes_on_disk(notes))
        started = time.monotonic()
        timed = run_cli("index", notes=notes)
        duration[kind] = time.monotonic() - started
        assert timed.returncode == 0, timed.stderr
        held = _check_reader(notes, spec, encoder, ask, states, rng)
        assert held == states[-1]

    kills: list[str] = []
    for round_no in range(1, ROUNDS + 1):
        kind = "move" if round_no in TARGETED or round_no % 2 else "edit"
        _change(kind, notes, rng, round_no, next_index)
        states.append(notes_on_disk(notes))
        before = set(os.listdir(folder))
        process = start_cli("index", notes=notes)
        started = time.monotonic()
        if round_no in TARGETED:
            _wait_for(folder, TARGETED[round_no], before, process, timeout=duration[kind] * 5)
            point = f"{kind} run, at its {TARGETED[round_no]} folder"
        else:
            delay = rng.uniform(0.02, 0.95) * duration[kind]
            time.sleep(delay)
            point = f"{kind} run, after {delay:.2f} s"
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=120)
        if process.returncode == -signal.SIGKILL:
            kills.append(point)
        else:
            assert process.returncode == 0, stderr.decode(errors="replace")
            duration[kind] = min(duration[kind], time.monotonic() - started)
        # The index is the one before this run, or the complete result of it: never anything else.
        now = _check_reader(notes, spec, encoder, ask, states, rng)
        assert now in (held, states[-1]), f"round {round_no} ({point}): the index is neither before nor after it"
        held = now

    print(f"run times {duration}; {len(kills)} kills: {kills}")
    assert len(kills) >= MIN_KILLS, f"only {len(kills)} runs were killed mid-way: {kills}"
    assert any("staging" in k for k in kills) and any("generation" in k for k in kills), kills

    final = run_cli("index", notes=notes)
    assert final.returncode == 0 and "Traceback" not in final.stderr, final.stderr
    index = StoredIndex(notes, spec)
    try:
        assert {n.id: n.content_hash for n in index.notes.values()} == notes_on_disk(notes)
        assert index.vector_index is not None
        assert chunk_rows(notes, index.generation) == index.size == index.vector_index.ntotal == index.lexical.size
    finally:
        index.close()
    leftovers = sorted(p.name for p in folder.glob("gen-*"))
    assert len(leftovers) <= 2 and not any(".tmp-" in name for name in leftovers), leftovers


def _cached_vectors(notes: Path) -> int:
    connection = sqlite3.connect(f"file:{index_dir(notes) / DB_NAME}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    finally:
        connection.close()


def test_cancelled_build_keeps_the_previous_index_and_the_next_run_resumes(
    tmp_path: Path, spec, build_index, ask
) -> None:
    """Vectors are cached batch by batch, so a build stopped part-way leaves work the next one reuses."""
    notes = tmp_path / "notes"
    write_corpus(notes, 6, seed=SEED, filler=1)
    build_index(notes)
    reader = StoredIndex(notes, spec)
    generation = reader.generation
    reader.close()
    cached_before = _cached_vectors(notes)
    write_corpus(notes, 20, seed=SEED + 1, filler=2, start=6)
    cancel = threading.Event()
    embedded: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "embedding" and done:
            embedded.append(done)
            cancel.set()

    with pytest.raises(BuildCancelled):
        build_index(notes, cancel=cancel, progress=progress)
    assert embedded, "the build was cancelled before it embedded a batch"
    reader = StoredIndex(notes, spec)
    try:
        assert reader.generation == generation
        assert ask(reader, _fps_question(note_id(2))).citations[0].note == note_id(2)
    finally:
        reader.close()
    cached = _cached_vectors(notes)
    assert cached == cached_before + embedded[0]
    report = build_index(notes)
    assert report.chunks_embedded <= report.chunks_total - cached
