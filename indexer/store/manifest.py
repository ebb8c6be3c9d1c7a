"""Checks of an index against its manifest: schema and model, generation files, sentence vectors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from indexer import lexical, vectors
from indexer.embedding import ModelSpec
from indexer.errors import IndexCorruptError
from indexer.store.database import SCHEMA_VERSION, SENTENCE_DTYPE
from indexer.store.generations import files_problem, gen_dir

_ITEM_BYTES = {"float16": 2, "float32": 4}
EMPTY_INDEX = "the index is empty"
"""The problem of a database with no committed generation (a first build still running, cancelled or killed)."""


def manifest_problem(manifest: dict[str, str], spec: ModelSpec | None) -> str | None:
    """Why an index can't be used as it is (None when it can)."""
    if not manifest:
        return EMPTY_INDEX
    try:
        schema = int(manifest.get("schema_version", "0"))
        for key in ("generation", "chunks", "dimension"):
            int(manifest.get(key, "0"))
    except ValueError:
        return "the index manifest is damaged"
    if schema > SCHEMA_VERSION:
        return f"the index was written by a newer papernotes (schema {schema}, this one reads {SCHEMA_VERSION})"
    if schema < SCHEMA_VERSION:
        return f"the index uses an older schema ({schema}, now {SCHEMA_VERSION})"
    if spec is not None and manifest.get("model_fingerprint") != spec.fingerprint:
        return f"the index was built with model {manifest.get('model_name')!r}, not {spec.label!r}"
    return None


def generation_problem(folder: Path, generation: int, manifest: dict[str, str]) -> str | None:
    """Why the files of `generation` can't be read as the manifest describes them (None when they can).

    A generation whose files were recorded when written (FAISS backend) is checked against that
    record: sizes, stats, checksums where a stat differs. Others are opened.
    """
    try:
        size = int(manifest.get("chunks", "0"))
        dimension = int(manifest.get("dimension", "0"))
        gen = gen_dir(folder, generation)
        written = json.loads(manifest.get("generation_files") or "null")
        backend_name = manifest.get("vector_backend", vectors.DEFAULT_BACKEND)
        if written is not None and backend_name == vectors.DEFAULT_BACKEND:
            if (written["chunks"], written["dimension"] if size else dimension) != (size, dimension):
                return f"the manifest says {size}×{dimension} vectors, generation {generation} holds {written['chunks']}×{written['dimension']}"
            return files_problem(gen, written)
        if size:
            backend = vectors.backend(manifest.get("vector_backend", vectors.DEFAULT_BACKEND))
            backend.open(gen, expected_size=size, expected_dimension=dimension)
        lexical.LexicalIndex.load(gen / "bm25", expected_size=size)
    except (ValueError, KeyError, TypeError):
        return "the index manifest is damaged"
    except IndexCorruptError as error:
        return error.message
    return None


def sentence_problem(connection: sqlite3.Connection, manifest: dict[str, str]) -> str | None:
    """Why the stored answer-sentence vectors don't match the manifest (None when they do).

    Damaged ones are deleted, so the rewrite that follows embeds them again.
    """
    try:
        expected = int(manifest.get("sentences") or -1)
    except ValueError:
        return None
    if expected < 0:
        return None  # written before the count was recorded
    width = int(manifest.get("dimension", "0")) * _ITEM_BYTES[SENTENCE_DTYPE]  # no numpy: a no-change build needs none
    with connection:
        damaged = connection.execute("DELETE FROM sentence_vectors WHERE length(vector) != ?", (width,)).rowcount
    stored = connection.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0]
    if damaged or stored < expected:  # more is harmless: a cancelled build's, dropped at the next commit
        return f"{damaged} damaged and {max(0, expected - stored)} missing sentence vectors"
    return None
