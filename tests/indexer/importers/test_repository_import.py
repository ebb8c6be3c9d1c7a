"""Importing a repository of notes: README, licence and templates are not paper notes; HTML images are copied."""

from __future__ import annotations

from pathlib import Path

from indexer.importers import import_sources
from indexer.importers.selection import NOT_A_NOTE
from indexer.notes import load_notes


def make_repository(root: Path) -> Path:
    """A repository laid out like papers_we_read: notes in summaries/, figures in images/."""
    (root / "summaries").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "images" / "arch.png").write_bytes(b"\x89PNG\r\n\x1a\n fake but an image file")
    (root / "images" / "plot 2.png").write_bytes(b"\x89PNG\r\n\x1a\n another")
    (root / "README.md").write_text("# Deep Learning Paper Summaries\n\nHow to contribute.\n")
    (root / "CONTRIBUTING.md").write_text("# Contributing\n\nOpen a pull request.\n")
    (root / "LICENSE.md").write_text("MIT License\n\nPermission is hereby granted.\n")
    (root / "Summary_Template.md").write_text("# PAPER_TITLE\n\nAuthor 1, Author 2\n\n## Summary\n\nText.\n")
    (root / "summaries" / "FFA.md").write_text(
        "# PAPER_TITLE: Feature Fusion Attention Network\n\nXu Qin, **AAAI 2020**\n\n## Method\n\n"
        "<p align=center>\n<img src=../images/arch.png width=400>\n<br><i>The FFA block</i></p>\n\n"
        "<img src='../images/plot 2.png'>\n"
    )
    (root / "summaries" / "BYOL.md").write_text("# BYOL\n\nBootstrap your own latent.\n")
    return root


def test_repository_files_and_templates_are_skipped_and_named(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo")
    notes = tmp_path / "notes"
    report = import_sources([repo], notes)
    assert sorted(p.name for p in report.imported) == ["BYOL.md", "FFA.md"]
    skipped = sorted(p.name for p, reason in report.skipped if reason == NOT_A_NOTE)
    assert skipped == ["CONTRIBUTING.md", "LICENSE.md", "README.md", "Summary_Template.md"]
    summary = report.summary()
    assert summary.startswith("imported 2, unchanged 0, skipped 4 (not a paper note: ")
    assert "README.md" in summary and "Summary_Template.md" in summary and "--all imports them" in summary
    assert sorted(n.id for n in load_notes(notes).notes) == ["summaries/BYOL", "summaries/FFA"]


def test_the_template_prefix_is_dropped_from_a_title(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo")
    notes = tmp_path / "notes"
    import_sources([repo], notes)
    note = load_notes(notes).find("summaries/FFA")
    assert note is not None and note.title == "Feature Fusion Attention Network"
    assert "PAPER_TITLE" not in note.text


def test_html_image_sources_are_copied_like_markdown_ones(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo")
    notes = tmp_path / "notes"
    import_sources([repo], notes)
    copies = notes / "summaries" / "FFA"
    assert (copies / "arch.png").read_bytes() == (repo / "images" / "arch.png").read_bytes()
    assert (copies / "plot 2.png").is_file()
    text = (notes / "summaries" / "FFA.md").read_text()
    assert '<img src="FFA/arch.png" width=400>' in text and "<img src='FFA/plot 2.png'>" in text
    note = load_notes(notes).find("summaries/FFA")
    assert note is not None
    assert [(i.file, i.width) for i in note.images] == [(copies / "arch.png", 400), (copies / "plot 2.png", None)]


def test_all_keeps_everything(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo")
    notes = tmp_path / "notes"
    report = import_sources([repo], notes, keep_all=True)
    assert len(report.imported) == 6 and report.skipped == []
    assert "not a paper note" not in report.summary()


def test_a_file_named_on_the_command_line_is_imported(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo")
    report = import_sources([repo / "README.md"], tmp_path / "notes")
    assert [p.name for p in report.imported] == ["README.md"]
