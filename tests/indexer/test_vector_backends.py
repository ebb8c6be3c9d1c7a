"""Vector backends: the store writes, opens and drops generations through the one named, plugins included."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from indexer.errors import PapernotesError
from indexer.knowledge import KnowledgeBase
from indexer.store import index_dir
from tests.conftest import CONTENT

PLUGIN = '''
from pathlib import Path

from indexer import vectors


class OtherFileBackend:
    """FAISS under another file name, logging what it drops: stands in for a vector database."""

    def write(self, matrix, folder: Path, *, exact_below: int = vectors.EXACT_BELOW) -> None:
        vectors.save_index(vectors.build_index(matrix, exact_below=exact_below), folder / "other.faiss")

    def open(self, folder: Path, *, expected_size: int, expected_dimension: int):
        return vectors.load_index(folder / "other.faiss", expected_size=expected_size, expected_dimension=expected_dimension)

    def drop(self, folder: Path) -> None:
        with open(folder.parent / "dropped.log", "a") as log:
            log.write(folder.name + "\\n")
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An installed-looking package registering backend "otherfile" under papernotes.vector_backends."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "papernotes_otherfile.py").write_text(PLUGIN)
    dist = site / "papernotes_otherfile-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: papernotes-otherfile\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [papernotes.vector_backends]
            otherfile = papernotes_otherfile:OtherFileBackend
            """
        )
    )
    monkeypatch.syspath_prepend(str(site))
    return "otherfile"


def notes_folder(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    for name in ("mobilesam.md", "tinyvit.md"):
        shutil.copy2(CONTENT / name, root / name)
    return root


def test_an_unknown_backend_stops_the_build_before_embedding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_VECTOR_BACKEND", "nosuchdb")
    kb = KnowledgeBase(notes_folder(tmp_path))
    with pytest.raises(PapernotesError, match="nosuchdb"):
        kb.build()
    assert not (index_dir(kb.root) / "index.sqlite").exists()


def test_switching_backend_rewrites_the_generation_without_embedding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plugin: str
) -> None:
    kb = KnowledgeBase(notes_folder(tmp_path))
    first = kb.build()
    assert first.chunks_embedded > 0
    question = "What does MobileSAM distil from SAM?"
    before = kb.ask(question)

    monkeypatch.setenv("PAPERNOTES_VECTOR_BACKEND", plugin)
    switched = kb.build()
    assert switched.changed and "otherfile" in (switched.full_rebuild_reason or "")
    assert switched.chunks_embedded == 0 and switched.sentences_embedded == 0
    generations = sorted(index_dir(kb.root).glob("gen-*"))
    assert (generations[-1] / "other.faiss").exists() and not (generations[-1] / "vectors.faiss").exists()
    assert kb.ask(question).text == before.text

    monkeypatch.delenv("PAPERNOTES_VECTOR_BACKEND")
    (kb.root / "extra.md").write_text("# Extra\n\n## Idea\n\nA note about okapi detection.\n")
    kb.build()  # back to FAISS; the next change removes the "otherfile" generation through its backend
    (kb.root / "extra.md").write_text("# Extra\n\n## Idea\n\nA note about okapi and zebra detection.\n")
    kb.build()
    dropped = (index_dir(kb.root) / "dropped.log").read_text().split()
    assert dropped == [generations[-1].name]  # the FAISS generation before it was not handed to the plugin
