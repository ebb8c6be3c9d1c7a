"""Notes known from file stats: list/show/no-change index read no note and import no heavy library; edits are seen."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.catalog import scan
from indexer.knowledge import KnowledgeBase
from indexer.notes import load_notes
from indexer.store import DB_NAME, index_dir
from tests.conftest import CONTENT, REPO

HEAVY = ("numpy", "faiss", "bm25s", "scipy", "onnxruntime", "tokenizers", "torch", "sentence_transformers")
OLD = time.time() - 3600
"""An mtime safely outside the window in which a recorded stat proves nothing (catalog.RACY_NS)."""


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    """Four shipped notes with their index built."""
    root = tmp_path / "notes"
    root.mkdir()
    for name in ("sam.md", "mobilesam.md", "fastsam.md", "tinyvit.md"):
        shutil.copy2(CONTENT / name, root / name)
    kb = KnowledgeBase(root)
    kb.build()
    return kb


def _modules_after(code: str, *argv: str) -> tuple[list[str], str]:
    """Run the CLI in a fresh interpreter; the heavy modules it imported, and its output."""
    script = (
        "import sys\nfrom indexer.cli import main\n"
        f"code = main({list(argv)!r})\n"
        f"print('MODULES', sorted(m for m in {HEAVY + ('markdown_it', 'yaml')!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code + script], capture_output=True, text=True, cwd=REPO, check=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    *output, last = done.stdout.rstrip("\n").split("\n")
    return json.loads(last.removeprefix("MODULES ").replace("'", '"')), "\n".join(output)


def _listing(root: Path) -> list[tuple[str, str]]:
    return [(n.id, n.title) for n in load_notes(root).notes]


def test_list_and_show_use_the_index_and_import_nothing_heavy(kb: KnowledgeBase) -> None:
    modules, output = _modules_after("", "list", "--json", "--notes", str(kb.root))
    assert modules == [], modules  # not even the Markdown parser: every title comes from the index
    assert [(r["id"], r["title"]) for r in json.loads(output)] == _listing(kb.root)
    modules, output = _modules_after("", "show", "mobilesam", "--notes", str(kb.root))
    assert modules == [], modules
    assert output.rstrip("\n") == (kb.root / "mobilesam.md").read_text(encoding="utf-8").rstrip("\n")


def test_a_no_change_index_reads_no_vector_keyword_or_model_file(kb: KnowledgeBase) -> None:
    modules, output = _modules_after("", "index", "--notes", str(kb.root))
    assert modules == [], modules
    assert "0 added, 0 updated, 0 removed, 4 unchanged" in output


def test_without_an_index_notes_are_parsed_once_then_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "notes"
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns(".papernotes"))
    first = scan(root)
    assert first.parsed == len(first.notes) == len(list(CONTENT.glob("*.md")))
    again = scan(root)
    assert again.parsed == 0 and [(n.id, n.title) for n in again.notes] == _listing(root)
    assert [n.warnings for n in again.notes] == [[str(w) for w in n.warnings] for n in load_notes(root).notes]
    assert not index_dir(root).exists(), "listing must not create an index folder"


def test_edits_touches_and_removals_are_seen_from_stats(kb: KnowledgeBase) -> None:
    root = kb.root
    fresh = scan(root)
    assert not fresh.changed and fresh.parsed == 0 and fresh.restat == []

    note = root / "fastsam.md"
    os.utime(note, (OLD, OLD + 1))  # same content, new stat: re-hashed, not parsed, not changed
    touched = scan(root)
    assert not touched.changed and touched.parsed == 0 and touched.restat == ["fastsam"]
    report = kb.build(collection=touched)
    assert not report.changed and scan(root).restat == [], "the no-change build records the new stat"

    note.write_text(note.read_text(encoding="utf-8").replace("FastSAM", "FastSAM-X", 1), encoding="utf-8")
    os.utime(note, (OLD, OLD + 2))
    edited = scan(root)
    assert edited.changed and edited.parsed == 1
    assert next(n for n in edited.notes if n.id == "fastsam").content_hash != fresh.indexed["fastsam"]
    assert kb.build(collection=edited).updated == ["fastsam"]

    (root / "tinyvit.md").unlink()
    removed = scan(root)
    assert removed.changed and "tinyvit" not in [n.id for n in removed.notes]
    assert kb.build(collection=removed).removed == ["tinyvit"]
    assert [(n.id, n.title) for n in scan(root).notes] == _listing(root)


def test_a_same_size_edit_within_the_mtime_tick_is_still_seen(kb: KnowledgeBase) -> None:
    note = kb.root / "sam.md"
    text = note.read_text(encoding="utf-8")
    os.utime(note)  # saved just now
    kb.build(collection=scan(kb.root))  # records a stat taken moments after the file's mtime
    info = note.stat()
    note.write_text(text.replace("SAM", "MAS", 1), encoding="utf-8")  # same size
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the same mtime, as a coarse clock gives
    assert scan(kb.root).changed


def test_a_note_indexed_just_after_it_was_saved_gets_its_stat_recorded_later(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An `index` run by an editor hook right after a save records a racy stat; once readers have
    proven the file unchanged (through their cache), the next no-change `index` records it for good."""
    import indexer.catalog

    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    # The window, shortened so the test needn't wait 2 s; but not to a fraction of a second: the scan right after
    # the save must stat the note within it, and a loaded machine can take that long between two lines.
    monkeypatch.setattr(indexer.catalog, "RACY_NS", 1_000_000_000)
    note = kb.root / "sam.md"
    os.utime(note)  # saved just now…
    kb.build(collection=scan(kb.root))  # …and indexed at once: the recorded stat proves nothing yet
    time.sleep(1.1)
    first = scan(kb.root)  # a reader re-hashes it and caches what it found
    assert first.restat == ["sam"] and first.parsed == 0
    second = scan(kb.root)  # the cache proves the file; the index's record still needs the stat
    assert second.restat == ["sam"] and second.parsed == 0 and not second.changed
    kb.build(collection=second)
    shutil.rmtree(tmp_path / "cache")
    settled = scan(kb.root)
    assert settled.restat == [] and settled.parsed == 0 and not settled.changed


def test_an_index_of_schema_1_is_rewritten_from_its_cached_vectors(kb: KnowledgeBase) -> None:
    question = "What does MobileSAM distil from SAM's image encoder?"
    before = kb.ask(question).to_json()
    kb.close_index()
    db = sqlite3.connect(index_dir(kb.root) / DB_NAME)
    with db:  # what an index written before note stats looked like
        db.execute("DROP TABLE note_files")
        db.execute("UPDATE manifest SET value='1' WHERE key='schema_version'")
    db.close()
    report = kb.build()
    assert report.chunks_embedded == 0 and report.sentences_embedded == 0
    assert "older schema" in (report.full_rebuild_reason or "")
    assert kb.ask(question).to_json() == before
    assert scan(kb.root).parsed == 0 and not kb.build().changed


HEADED = """\
---
title: Learning Transferable Visual Models From Natural Language Supervision
year: 2021
---

# CLIP

## Idea

Contrastive pre-training of an image and a text encoder on 400M pairs.
"""


def test_short_names_from_the_catalog_are_those_of_the_parsed_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.names import short_name

    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "notes"
    root.mkdir()
    for name in ("sam.md", "mobilesam.md"):
        shutil.copy2(CONTENT / name, root / name)
    (root / "clip.md").write_text(HEADED, encoding="utf-8")
    os.utime(root / "clip.md", (OLD, OLD))
    parsed = {n.id: short_name(n) for n in load_notes(root).notes}
    assert parsed["clip"] == "CLIP"  # the heading, shorter than the title, names it
    assert {n.id: short_name(n) for n in scan(root).notes} == parsed  # parsed by the catalog
    cached = scan(root)
    assert cached.parsed == 0 and {n.id: short_name(n) for n in cached.notes} == parsed  # from its cache

    kb = KnowledgeBase(root)
    kb.build()
    indexed = scan(root)
    assert indexed.parsed == 0 and {n.id: short_name(n) for n in indexed.notes} == parsed  # from the index
    kb.close_index()
    db = sqlite3.connect(index_dir(root) / DB_NAME)
    with db:  # records written before headings were kept
        for id_, record in db.execute("SELECT id, record FROM note_files").fetchall():
            data = json.loads(record)
            del data["heading"]
            db.execute("UPDATE note_files SET record=? WHERE id=?", (json.dumps(data), id_))
    db.close()
    shutil.rmtree(tmp_path / "cache")  # nor a cache of records beside it
    old = scan(root)
    assert old.parsed == 3 and not old.changed and sorted(old.restat) == sorted(parsed)
    assert {n.id: short_name(n) for n in old.notes} == parsed
    assert not kb.build(collection=old).changed
    assert scan(root).parsed == 0, "the no-change index wrote the records again, headings included"


def test_a_quick_scan_lists_new_notes_as_the_parse_does_and_caches_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.names import short_name

    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "notes"
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns(".papernotes"))
    (root / "clip.md").write_text(HEADED, encoding="utf-8")  # its name is its heading
    (root / "byline.md").write_text("# BYOL\n\nAnn One, Bo Two <br>\n**CVPR** **2020**\n\n## Idea\n\nText.\n", encoding="utf-8")
    (root / "odd.md").write_text("---\nbase: &b {title: Anchored}\n<<: *b\n---\n\n# Odd\n\nText.\n", encoding="utf-8")

    def shown(notes: list) -> list:
        return [(n.id, n.title, short_name(n), n.meta.year, n.meta.tags, n.meta.authors, n.meta.aliases) for n in notes]

    quick = scan(root, quick=True)
    assert quick.glanced == len(quick.notes) - 1 and quick.parsed == 1  # the anchored front matter is parsed
    assert shown(quick.notes) == shown(load_notes(root).notes)
    assert ("byline", "BYOL", "BYOL", 2020) == shown(quick.notes)[[n.id for n in quick.notes].index("byline")][:4]
    full = scan(root)
    assert full.parsed == len(full.notes) - 1, "glanced records are never cached: they are a first look"
    assert scan(root).parsed == 0


@pytest.mark.parametrize("indexed", [False, True], ids=["cache", "index"])
def test_records_of_another_metadata_rule_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed: bool) -> None:
    """A record keeps the metadata its rules read (a year from the paper's arXiv id); under other rules the note is read again."""
    import indexer.catalog
    import indexer.frontmatter

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "posted.md").write_text("# Posted Paper\n\nText.\n\nPaper: https://arxiv.org/abs/2304.12345\n", encoding="utf-8")
    if indexed:
        KnowledgeBase(notes).build()
    assert [n.meta.year for n in scan(notes).notes] == [2023]  # the record written (the cache, or the index's)
    monkeypatch.setattr(indexer.frontmatter, "arxiv_year", lambda *_: None)  # the rules as they were before
    assert [n.meta.year for n in scan(notes).notes] == [2023]  # the same rules: the record is trusted
    monkeypatch.setattr(indexer.catalog, "METADATA_RULE", 99)
    assert [n.meta.year for n in scan(notes).notes] == [None]
