"""The live index: note files re-read only when they change, the index kept in step, one update at a time."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from indexer.errors import IndexCorruptError
from indexer.knowledge import KnowledgeBase
from indexer.live import LiveIndex, NoteFiles
from indexer.notes import find_note_files
from indexer.store import Freshness


def _tree(root: Path) -> Path:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "_drafts").mkdir()
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "linked.md").write_text("# Linked folder note\n\nText.\n")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    for rel in ["a.md", "B.MARKDOWN", "sub/c.md", "sub/deeper/d.md", ".hidden/e.md", "_drafts/f.md", ".g.md", "notes.txt"]:
        (root / rel).write_text(f"# Note {rel}\n\nSome text about {rel}.\n")
    (root / "link.md").symlink_to(root / "a.md")
    (root / "dangling.md").symlink_to(root / "missing.md")
    return root


def test_signatures_cover_exactly_the_files_find_note_files_finds(tmp_path: Path) -> None:
    root = _tree(tmp_path / "notes")
    found = NoteFiles(root).signatures()
    expected = {str(p) for p in find_note_files(root) if p.exists()}  # a dangling link has no signature
    assert set(found) == expected
    assert str(root / "sub" / "deeper" / "d.md") in found and str(root / "link.md") in found


def test_only_changed_files_are_parsed_again(tmp_path: Path) -> None:
    root = _tree(tmp_path / "notes")
    files = NoteFiles(root)
    first = {n.id: n for n in files.collection(files.signatures()).notes}
    (root / "sub" / "c.md").write_text("# Note c, edited\n\nNew text, longer than before.\n")
    (root / "a.md").unlink()
    second = {n.id: n for n in files.collection(files.signatures()).notes}
    assert "a" not in second and second["sub/c"].title == "Note c, edited"
    assert second["sub/deeper/d"] is first["sub/deeper/d"]  # the same parsed object: not read again
    assert second["sub/c"] is not first["sub/c"]


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "zebra.md").write_text("# Zebra Net\n\nZebraNet segments zebra stripes with 99 layers.\n")
    (root / "okapi.md").write_text("# Okapi Net\n\nOkapiNet detects okapis in dense forest images.\n")
    return root


def test_refresh_builds_then_follows_edits_and_shares_one_update(notes: Path) -> None:
    live = LiveIndex(KnowledgeBase(notes))
    assert not live.has_index()
    assert [n.id for n in live.notes().notes] == ["okapi", "zebra"]  # notes without an index
    heard: list[tuple[str, int, int]] = []
    live.refresh(lambda *event: heard.append(event))
    assert live.has_index() and live.kb.status().up_to_date
    assert any(stage == "embedding" for stage, _, _ in heard)
    (notes / "zebra.md").write_text("# Zebra Net\n\nZebraNet now counts zebras with 7 layers.\n")
    refresh, updates = live.kb.refresh, []

    def counted(**options: object) -> Freshness:
        freshness = refresh(**options)  # type: ignore[arg-type]
        if freshness.report is not None:
            updates.append(freshness.report)
        return freshness

    live.kb.refresh = counted  # type: ignore[method-assign]
    results = []
    threads = [threading.Thread(target=lambda: results.append(live.refresh())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.updated for r in updates] == [["zebra"]]  # one update, shared by the four callers
    assert all("7 layers" in next(n for n in r.notes if n.id == "zebra").text for r in results)
    assert live.kb.status().up_to_date
    assert "7 layers" in live.kb.search("how many layers count zebras", k=1)[0].chunk.text


def test_a_damaged_index_asks_for_a_rebuild(notes: Path) -> None:
    live = LiveIndex(KnowledgeBase(notes))
    live.refresh()
    db = notes / ".papernotes" / "index.sqlite"
    db.write_bytes(b"garbage" * 1000)
    for extra in db.parent.glob("index.sqlite-*"):
        os.unlink(extra)
    (notes / "okapi.md").write_text("# Okapi Net\n\nEdited.\n")
    with pytest.raises(IndexCorruptError, match="papernotes index --rebuild"):
        live.refresh()


def test_a_same_size_rewrite_within_the_same_clock_tick_is_still_seen(notes: Path) -> None:
    live = LiveIndex(KnowledgeBase(notes))
    live.refresh()
    path = notes / "okapi.md"
    before = path.stat()
    path.write_text(path.read_text().replace("dense forest", "bright meadow"))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a coarse clock would leave it
    after = path.stat()
    signature = (after.st_mtime_ns, after.st_ctime_ns, after.st_size, after.st_ino)
    live.files._parsed[str(path)] = (signature, live.files._parsed[str(path)][1])  # the stat taken before the rewrite
    okapi = next(n for n in live.refresh().notes if n.id == "okapi")
    assert "bright meadow" in okapi.text
