"""Where a notes folder's index lives."""

from __future__ import annotations

from pathlib import Path

INDEX_DIR = ".papernotes"


def index_dir(root: Path) -> Path:
    """The index folder of a notes folder."""
    return root / INDEX_DIR
