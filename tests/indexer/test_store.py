"""The index store: incremental updates re-embed only what changed; model changes rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.errors import IndexCorruptError
from indexer.knowledge import KnowledgeBase
from indexer.store import StoredIndex
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("small")
    for name in ("sam.md", "mobilesam.md", "fastsam.md"):
        shutil.copy2(CONTENT / name, root / name)
    kb = KnowledgeBase(root)
    report = kb.build()
    assert len(report.added) == 3 and report.chunks_embedded == report.chunks_total
    return kb


def chunk_count(kb: KnowledgeBase, note_id: str) -> int:
    index = StoredIndex(kb.root, kb.spec)
    try:
        return len(index.rows_of_notes([note_id]))
    finally:
        index.close()


def test_unchanged_notes_embed_nothing(small_kb: KnowledgeBase) -> None:
    report = small_kb.build()
    assert report.chunks_embedded == 0
    assert len(report.unchanged) == 3 and not report.changed


def test_add_edit_delete_reembed_only_what_changed(small_kb: KnowledgeBase) -> None:
    root = small_kb.root
    (root / "extra.md").write_text("# Extra Paper\n\n## Idea\n\nA brand new idea about zebra segmentation.\n")
    report = small_kb.build()
    assert report.added == ["extra"]
    assert report.chunks_embedded == chunk_count(small_kb, "extra") == 1

    path = root / "fastsam.md"
    path.write_text(path.read_text() + "\n## Addendum\n\nFastSAM gets one more sentence about giraffes.\n")
    report = small_kb.build()
    assert report.updated == ["fastsam"]
    assert report.chunks_embedded == 1

    (root / "extra.md").unlink()
    report = small_kb.build()
    assert report.removed == ["extra"]
    assert report.chunks_embedded == 0
    assert chunk_count(small_kb, "extra") == 0
    answer = small_kb.ask("Which paper talks about giraffes?")
    assert answer.citations and answer.citations[0].note == "fastsam"


def test_index_files_hold_no_pickle(small_kb: KnowledgeBase) -> None:
    folder = small_kb.root / ".papernotes"
    for item in folder.rglob("*"):
        if item.is_file() and item.suffix in (".npy", ".json"):
            assert not item.read_bytes().startswith(b"\x80"), item


def test_another_model_triggers_a_full_rebuild(small_kb: KnowledgeBase, tmp_path: Path) -> None:
    from indexer.embedding import resolve_model

    other = tmp_path / "other-model"
    shutil.copytree(resolve_model(None).path, other)
    kb = KnowledgeBase(small_kb.root, model=str(other))
    report = kb.build()
    assert report.full_rebuild_reason and "other-model" in report.full_rebuild_reason
    assert report.chunks_embedded == report.chunks_total
    with pytest.raises(IndexCorruptError, match="rebuild"):
        StoredIndex(small_kb.root, small_kb.spec)
    small_kb.build()


def test_mentions_agrees_with_reading_every_passage(content_kb: KnowledgeBase) -> None:
    import re

    index = StoredIndex(content_kb.root, content_kb.spec)
    try:
        texts = [c.text for c in index.chunks(list(range(index.size)))]
        present = sorted({m.group(0) for t in texts for m in re.finditer(r"\b[A-Z][A-Za-z]+ \d{1,4}\b", t)})[:25]
        assert len(present) >= 5
        absent = [f"{p.split()[0]} {int(p.split()[1]) + 7919}" for p in present] + ["SAM 2", "Zebra 12", "the of"]
        for phrase in present + absent:
            words = rf"(?<!\w)(?<!\w[.']){re.escape(phrase)}(?![\w.']\w|\w)"
            pattern = re.compile(words, re.IGNORECASE)
            assert index.mentions(phrase) == any(pattern.search(t) for t in texts), phrase
    finally:
        index.close()


def test_note_names_stored_by_the_build_equal_the_names_derived_at_open(content_kb: KnowledgeBase) -> None:
    from indexer.retrieval import NAMES_RULE, _note_names

    index = StoredIndex(content_kb.root, content_kb.spec)
    try:
        stored = index.stored_names(NAMES_RULE)
        assert stored is not None and len(stored) > len(index.notes)
        assert sorted(stored) == sorted(_note_names(index))
        assert index.stored_names("another rule") is None
    finally:
        index.close()


def test_a_build_summary_counts_one_sentence_and_one_chunk_in_the_singular() -> None:
    from indexer.store.records import BuildReport

    one = BuildReport(updated=["a"], chunks_embedded=1, chunks_total=1, sentences_embedded=1).summary()
    assert "1 of 1 chunk (and 1 sentence) embedded" in one
    many = BuildReport(chunks_embedded=1, chunks_total=672, sentences_embedded=3).summary()
    assert "1 of 672 chunks (and 3 sentences) embedded" in many
