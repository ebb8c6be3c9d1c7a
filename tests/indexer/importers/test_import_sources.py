"""import_sources: idempotence, --force, the summary line, and which sources are taken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.errors import ImportFailed
from indexer.importers import EXISTS, ImportReport, import_sources


def test_importing_twice_changes_nothing(
    streamlit_fixtures, markdown_fixtures, tmp_path, tree_snapshot
):
    notes = tmp_path / "notes"
    sources = [
        streamlit_fixtures / "app",
        streamlit_fixtures / "MobileSAM.py",
        markdown_fixtures / "collection",
    ]
    first = import_sources(sources, notes)
    written = tree_snapshot(notes)

    second = import_sources(sources, notes)

    assert len(first.imported) == 9
    assert second.imported == [] and second.failed == []
    assert sorted(second.unchanged) == sorted(first.imported)
    assert tree_snapshot(notes) == written  # not even rewritten with the same bytes
    assert second.summary().startswith("imported 0, unchanged 9, skipped 2 (")


def test_a_changed_note_is_kept_unless_forced(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    page = streamlit_fixtures / "MobileSAM.py"
    import_sources([page], notes)
    original = (notes / "mobilesam.md").read_text(encoding="utf-8")
    (notes / "mobilesam.md").write_text(original + "\nMy own addition.\n", encoding="utf-8")

    kept = import_sources([page], notes)

    assert kept.skipped == [(page, EXISTS)]
    assert (
        kept.summary()
        == "imported 0, unchanged 0, skipped 1 (exists; use --force), failed 0, 1 warning"
    )
    assert (notes / "mobilesam.md").read_text(encoding="utf-8").endswith("My own addition.\n")

    forced = import_sources([page], notes, force=True)

    assert forced.imported == [notes / "mobilesam.md"]
    assert (notes / "mobilesam.md").read_text(encoding="utf-8") == original


def test_a_changed_image_copy_also_needs_force(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    page = streamlit_fixtures / "app" / "pages" / "03_Images_And_Code.py"
    import_sources([page], notes)
    copy = notes / "images-and-code" / "diagram.png"
    copy.write_bytes(b"edited")

    assert import_sources([page], notes).skipped == [(page, EXISTS)]
    assert copy.read_bytes() == b"edited"
    assert import_sources([page], notes, force=True).imported == [notes / "images-and-code.md"]
    assert copy.read_bytes() == (page.parent / "Images_And_Code" / "diagram.png").read_bytes()


def test_a_deleted_image_copy_is_restored_without_force(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    page = streamlit_fixtures / "app" / "pages" / "03_Images_And_Code.py"
    import_sources([page], notes)
    (notes / "images-and-code" / "diagram.png").unlink()

    report = import_sources([page], notes)

    assert report.imported == [notes / "images-and-code.md"]
    assert (notes / "images-and-code" / "diagram.png").is_file()


def test_an_existing_hand_written_note_is_not_overwritten(markdown_fixtures, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "heading-first.md").write_text("# Mine\n", encoding="utf-8")

    report = import_sources([markdown_fixtures / "collection" / "heading-first.md"], notes)

    assert [reason for _, reason in report.skipped] == [EXISTS]
    assert (notes / "heading-first.md").read_text(encoding="utf-8") == "# Mine\n"
    assert not (notes / "heading-first").exists()  # its image is not written either


def test_no_temporary_files_are_left_behind(streamlit_fixtures, tmp_path):
    notes = tmp_path / "notes"
    import_sources([streamlit_fixtures / "app"], notes)

    assert [p.name for p in notes.rglob(".*")] == []


def test_summary_line():
    report = ImportReport()
    assert report.summary() == "imported 0, unchanged 0, skipped 0, failed 0"
    report.skipped += [
        (Path("a.md"), EXISTS),
        (Path("b.md"), EXISTS),
        (Path("c.py"), "not a Streamlit page"),
    ]
    report.warnings.append("x")
    assert report.summary() == (
        "imported 0, unchanged 0, skipped 3 (exists; use --force x2, not a Streamlit page), failed 0, 1 warning"
    )


def test_missing_and_unsupported_sources_are_reported(tmp_path):
    (tmp_path / "notes.txt").write_text("text", encoding="utf-8")

    report = import_sources([tmp_path / "nope", tmp_path / "notes.txt"], tmp_path / "notes")

    assert report.failed == [(tmp_path / "nope", f"{tmp_path / 'nope'}: no such file or folder")]
    assert report.skipped == [(tmp_path / "notes.txt", "not a .py or .md file")]


def test_an_unusable_notes_folder_raises(tmp_path, markdown_fixtures):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")

    with pytest.raises(ImportFailed, match="cannot use notes folder"):
        import_sources([markdown_fixtures / "collection"], blocker)


def test_the_notes_folder_inside_a_source_is_not_imported_again(markdown_fixtures, tmp_path):
    source = tmp_path / "collection"
    shutil.copytree(markdown_fixtures / "collection", source)
    notes = source / "content"
    import_sources([source], notes)

    again = import_sources([source], notes)

    assert len(again.unchanged) == 4 and again.imported == [] and again.skipped == []
    assert not (notes / "content").exists()


def test_hidden_and_virtualenv_folders_are_not_searched(tmp_path):
    source = tmp_path / "app"
    for folder in (".git", "venv", "node_modules", "env2"):
        (source / folder).mkdir(parents=True)
        (source / folder / "Page.py").write_text(
            "import streamlit as st\nst.title('x')\n", encoding="utf-8"
        )
    (source / "env2" / "pyvenv.cfg").write_text("", encoding="utf-8")

    report = import_sources([source], tmp_path / "notes")

    assert report.imported == [] and report.skipped == [] and report.failed == []


def test_two_sources_with_the_same_id_import_once(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Page.py").write_text(
            f"import streamlit as st\nst.title('{folder}')\n", encoding="utf-8"
        )
    notes = tmp_path / "notes"

    report = import_sources([tmp_path / "a", tmp_path / "b", tmp_path / "a" / "Page.py"], notes)

    assert report.imported == [notes / "page.md"]
    assert report.skipped == [(tmp_path / "b" / "Page.py", "duplicate note id")]
    assert (
        f"Page.py: note id 'page' already imported from {tmp_path / 'a' / 'Page.py'}"
        in report.warnings
    )


def test_a_failed_file_does_not_stop_the_others(tmp_path):
    source = tmp_path / "pages"
    source.mkdir()
    (source / "Good.py").write_text("import streamlit as st\nst.title('Good')\n", encoding="utf-8")
    (source / "Bad.py").write_text("import streamlit as st\nst.title(\n", encoding="utf-8")
    (source / "Bad.md").write_bytes(b"---\ntitle: x: y\n---\n")
    notes = tmp_path / "notes"

    report = import_sources([source], notes)

    assert report.imported == [notes / "good.md"]
    assert sorted(p.name for p, _ in report.failed) == ["Bad.md", "Bad.py"]
    assert sorted(p.name for p in notes.iterdir()) == ["good.md"]
