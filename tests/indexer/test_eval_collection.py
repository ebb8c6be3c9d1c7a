"""`papernotes eval --collection`: an outside collection is imported into a cache folder, never written to."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from indexer import eval_collection
from indexer.cli import main
from indexer.errors import PapernotesError
from indexer.eval_collection import collection_notes_dir, import_collection
from indexer.notes import load_notes

NOTE = """# Frobnicator Networks

Ada Lovelace, **ICML 2031**

## Summary

The paper proposes FrobNet, a linear model that frobnicates images with a learned kernel.
It reaches 91.5% accuracy on the Widgets benchmark.
"""


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    source = tmp_path / "outside" / "summaries"
    source.mkdir(parents=True)
    (source / "frobnet.md").write_text(NOTE, encoding="utf-8")
    return source.parent


def test_relative_and_absolute_sources_give_the_same_note_ids(outside: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(outside.parent)
    relative = import_collection(Path("outside"), tmp_path / "relative")
    absolute = import_collection(outside, tmp_path / "absolute")
    assert [n.id for n in load_notes(relative).notes] == [n.id for n in load_notes(absolute).notes] == ["summaries/frobnet"]


def test_the_cache_folder_depends_on_the_source_and_lives_in_the_cache(outside: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = collection_notes_dir(outside, cache)
    assert first.parent == cache / "eval-collections" and first.name.startswith("outside-")
    assert collection_notes_dir(outside / ".." / "outside", cache) == first
    assert collection_notes_dir(tmp_path, cache) != first


def test_a_missing_collection_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PapernotesError, match="is not a folder"):
        import_collection(tmp_path / "nowhere", tmp_path / "notes")


def test_eval_with_collection_imports_indexes_and_scores(outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "questions.jsonl"
    rows = [
        {"id": "q1", "question": "Which linear model frobnicates images?", "note": "summaries/frobnet", "keys": ["FrobNet"]},
        {"id": "q2", "question": "What accuracy does it reach on Widgets?", "note": "summaries/frobnet", "keys": ["91.5%"]},
    ]
    questions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = sorted(os.listdir(outside / "summaries"))
    assert main(["eval", str(questions), "--collection", str(outside), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)[0]
    assert result["mode"] == "hybrid" and result["answerable"] == 2 and result["hit_at_1"] == 1.0
    assert sorted(os.listdir(outside / "summaries")) == before and not (outside / ".papernotes").exists()
    assert (collection_notes_dir(outside) / "summaries" / "frobnet.md").is_file()


def test_eval_compare_writes_a_report_with_the_baseline(outside: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "questions.jsonl"
    row = {"id": "q1", "question": "Which linear model frobnicates images?", "note": "summaries/frobnet", "keys": ["FrobNet"]}
    questions.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = tmp_path / "EVAL.md"
    assert main(["eval", str(questions), "--collection", str(outside), "--compare", "--write", str(report)]) == 0
    printed = capsys.readouterr().out
    text = report.read_text(encoding="utf-8")
    for label in ("baseline: 200-word windows, RRF", "dense only", "BM25 only", "hybrid"):
        assert label in printed and label in text
    assert f"--collection {outside} --compare --write {report}" in text


def test_the_importer_version_follows_the_importer_source(tmp_path: Path) -> None:
    package = tmp_path / "indexer"
    shutil.copytree(Path(eval_collection.__file__).parent / "importers", package / "importers")
    for name in ("html.py", "html_elements.py"):
        shutil.copy2(Path(eval_collection.__file__).parent / name, package / name)
    before = eval_collection.importer_version(package)
    assert before == eval_collection.importer_version()
    converter = package / "importers" / "markdown.py"
    converter.write_text(converter.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert eval_collection.importer_version(package) != before


def test_the_cache_folder_depends_on_the_importer_version(outside: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    current = collection_notes_dir(outside, cache)
    assert current.name.endswith("-" + eval_collection.importer_version())
    assert collection_notes_dir(outside, cache, version="0123456789") != current


def test_a_changed_importer_imports_afresh(outside: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNOTES_CACHE_DIR", str(tmp_path / "cache"))
    old = import_collection(outside)
    (old / "summaries" / "dropped.md").write_text("# A note an older importer wrote\n\nIt is gone now.\n", encoding="utf-8")
    legacy = old.parent / old.name.rsplit("-", 1)[0]  # the folder of a cache keyed before versions were
    legacy.mkdir()
    other = tmp_path / "cache" / "eval-collections" / "elsewhere-0123456789ab-0123456789"
    other.mkdir()
    monkeypatch.setattr(eval_collection, "importer_version", lambda package=None: "fedcba9876")
    new = import_collection(outside)
    assert new != old and new.name.endswith("-fedcba9876")
    assert [n.id for n in load_notes(new).notes] == ["summaries/frobnet"]
    assert not old.exists() and not legacy.exists() and other.is_dir()
