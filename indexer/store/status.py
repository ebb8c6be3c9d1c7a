"""How the index compares with the notes on disk, without loading any model."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.store.database import DB_NAME, connect, read_manifest
from indexer.store.location import index_dir
from indexer.store.manifest import generation_problem, manifest_problem
from indexer.store.records import IndexStatus

if TYPE_CHECKING:
    from indexer.catalog import Catalog
    from indexer.embedding import ModelSpec
    from indexer.notes import NoteCollection

def index_status(
    collection: NoteCollection | Catalog, spec: ModelSpec | None = None, folder: Path | None = None
) -> IndexStatus:
    """Compare the notes on disk with the index in `folder` (default: located from the notes), without a model."""
    db = (folder or index_dir(collection.root)) / DB_NAME
    if not db.exists():
        return IndexStatus(False, [n.id for n in collection.notes], [], [])
    try:
        connection = connect(db, readonly=True)
        try:
            manifest = read_manifest(connection)
            problem = manifest_problem(manifest, spec)
            generation = int(manifest.get("generation", "0"))
            if problem is None and generation and manifest.get("generation_files"):
                # Files recorded when written: their stats are checked (checksums only where a stat differs).
                problem = generation_problem(db.parent, generation, manifest)
            stored = {
                row["id"]: row["content_hash"]
                for row in connection.execute("SELECT id, content_hash FROM notes WHERE generation=?", (generation,))
            }
        finally:
            connection.close()
    except (sqlite3.DatabaseError, ValueError) as error:
        return IndexStatus(True, [], [], [], problem=f"the index database is damaged ({error})")
    current = {n.id: n.content_hash for n in collection.notes}
    return IndexStatus(
        exists=True,
        added=[i for i in current if i not in stored],
        updated=[i for i in current if i in stored and stored[i] != current[i]],
        removed=[i for i in stored if i not in current],
        problem=problem,
    )


def manifest_of(folder: Path) -> dict[str, str] | None:
    """The manifest of the index in `folder` plus its note count (None when there is no readable index)."""
    db = folder / DB_NAME
    if not db.exists():
        return None
    try:
        connection = connect(db, readonly=True)
        try:
            manifest = read_manifest(connection)
            generation = int(manifest.get("generation", "0"))
            count = connection.execute("SELECT COUNT(*) FROM notes WHERE generation=?", (generation,)).fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.DatabaseError, ValueError):
        return None
    return {**manifest, "notes": str(count)}
