"""What the store hands back: stored notes and chunks, build reports, index status, cancellation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from indexer.chunking import Chunk
from indexer.errors import PapernotesError

BuildProgress = Callable[[str, int, int], None]
"""Called with (stage, done, total); stages: "loading model", "embedding", "embedding sentences", "writing"."""


class BuildCancelled(PapernotesError):
    """The build was cancelled; the previous index is untouched."""

    title = "Cancelled"


@dataclass(frozen=True)
class StoredChunk(Chunk):
    """A chunk as read back from the index, with its row and its note's title and path."""

    row: int
    title: str
    rel_path: str


@dataclass(frozen=True)
class StoredNote:
    """A note's record in the index."""

    id: str
    ord: int
    rel_path: str
    title: str
    meta: dict[str, Any]
    content_hash: str


@dataclass
class BuildReport:
    """What an index build did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0
    full_rebuild_reason: str | None = None
    rechunked: bool = False

    @property
    def changed(self) -> bool:
        """Whether the build wrote a new generation."""
        return bool(self.added or self.updated or self.removed or self.full_rebuild_reason or self.rechunked)

    def summary(self) -> str:
        """One line: notes added / updated / removed / unchanged, chunks embedded, seconds."""
        return (
            f"notes: {len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} of {_counted(self.chunks_total, 'chunk')} "
            f"(and {_counted(self.sentences_embedded, 'sentence')}) embedded in {self.seconds:.1f} s"
        )


def _counted(count: int, noun: str) -> str:
    """"1 sentence", "3 sentences"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class IndexStatus:
    """How the index compares with the notes on disk."""

    exists: bool
    added: list[str]
    updated: list[str]
    removed: list[str]
    problem: str | None = None

    @property
    def changed(self) -> int:
        """How many notes differ from the index."""
        return len(self.added) + len(self.updated) + len(self.removed)

    @property
    def up_to_date(self) -> bool:
        """True when the index exists, is readable and matches the notes."""
        return self.exists and self.problem is None and self.changed == 0
