"""Templates in an imported repository: told by their file name and their placeholder content, never by a word alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.importers import import_sources
from indexer.importers.selection import NOT_A_NOTE, is_placeholder_title, is_template_name
from tests.conftest import papers_we_read_or_skip

PLACEHOLDER_BODY = "# [Paper Name]\n\n## Summary\n\nWrite here\n"
TEMPLATE_FILES = (
    "template.md",
    "Template.md",
    "paper-template.md",
    "TEMPLATE.md",
    "note_template.md",
    "templates/paper.md",
)
REAL_BODY = (
    "Jane Doe, John Roe, **CVPR 2019**\n\n## Summary\n\n"
    "The paper matches a template image against a search image with deep features, scoring each "
    "window by the diversity of its nearest-neighbour matches. It beats normalised cross-correlation "
    "on the BBS benchmark by eleven points of AUC while running at twelve frames a second.\n\n"
    "## Method\n\nFeatures come from a VGG network pretrained on ImageNet; the score counts the "
    "distinct template patches that are nearest neighbours of target patches.\n"
)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def skipped_names(report) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(Path(p).name for p, reason in report.skipped if reason == NOT_A_NOTE)


def test_the_testers_templates_are_all_skipped_and_named(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in TEMPLATE_FILES:
        write(repo, name, PLACEHOLDER_BODY)
    write(repo, "Summary_Template2.md", "# Title of the paper\n\nAuthors, **Venue Year**\n\n## Summary\n\n## Contributions\n")
    write(repo, "summaries/BYOL.md", "# BYOL\n\nBootstrap your own latent: two networks, one predicts the other.\n")
    report = import_sources([repo], tmp_path / "notes")
    assert [p.name for p in report.imported] == ["BYOL.md"]
    assert len(skipped_names(report)) == 7
    summary = report.summary()
    assert summary.startswith("imported 1, unchanged 0, skipped 7 (not a paper note: ")
    assert "and 3 more; --all imports them" in summary


def test_a_file_named_as_a_template_without_a_placeholder_title_is_skipped(tmp_path: Path) -> None:
    """The name says template; the content agrees (a generic title, empty sections, `<VENUE>`)."""
    repo = tmp_path / "repo"
    write(repo, "template.md", "# Paper Summary\n\n## Method\n\n## Results\n")
    write(repo, "Review_Template_v2.md", "# Review Template\n\nSome text about how to review.\n")
    write(repo, "templates/review.md", "# Review\n\nAuthor 1, Author 2, **<VENUE>**\n\n## Summary\n\nWrite here\n")
    write(repo, "templates/blank.md", "")  # empty: skipped as empty, not as a template
    report = import_sources([repo], tmp_path / "notes")
    assert report.imported == []
    assert skipped_names(report) == ["Review_Template_v2.md", "review.md", "template.md"]
    assert "(not a paper note: Review_Template_v2.md, template.md, templates/review.md; --all" in report.summary()


@pytest.mark.parametrize(
    "name",
    ["Template_Matching.md", "templates/Template_Matching.md", "TemplateMatching.md", "deformable-template.md"],
)
def test_a_paper_about_templates_is_imported(tmp_path: Path, name: str) -> None:
    """A real title over a real body: the file name alone never skips a note."""
    repo = tmp_path / "repo"
    write(repo, name, "# Template Matching with Deep Features\n\n" + REAL_BODY)
    report = import_sources([repo], tmp_path / "notes")
    assert [p.name for p in report.imported] == [Path(name).name], report.skipped


def test_all_keeps_the_templates(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in TEMPLATE_FILES:
        write(repo, name, PLACEHOLDER_BODY)
    write(repo, "template2.md", "# Paper Summary\n\n## Method\n")
    report = import_sources([repo], tmp_path / "notes", keep_all=True)
    assert len(report.imported) == 7 and report.skipped == []


@pytest.mark.parametrize(
    "title",
    [
        "[Paper Name]", "[paper title]", "[Title]", "[Insert paper title here]", "<paper title>",
        "<Title>", "{{title}}", "{{ paper.title }}", "PAPER_TITLE", "Title of the paper",
        "Paper title here", "Paper Title", "Your Title", "Name of the paper", "Title",
        "Your paper's title goes here", "TITLE OF THE PAPER",
    ],
)  # fmt: skip
def test_placeholder_titles(title: str) -> None:
    assert is_placeholder_title(title)


@pytest.mark.parametrize(
    "title",
    [
        "Template Matching with Deep Features", "[Re] Learning to Summarise", "[DETR]",
        "Paper Title Generation from Abstracts", "What's in a Name? Reducing Bias in Bios",
        "Your Classifier is Secretly an Energy Based Model", "Title-Guided Encoding for Keyphrase Generation",
        "BYOL", "Attention Is All You Need", "PAPER_TITLE: Feature Fusion Attention Network",
    ],
)  # fmt: skip
def test_real_titles_are_not_placeholders(title: str) -> None:
    assert not is_placeholder_title(title)


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("template.md", True), ("TEMPLATE.md", True), ("paper-template.md", True), ("note_template.md", True),
        ("Summary_Template2.md", True), ("Template_Matching.md", True), ("TemplateMatching.md", True),
        ("templates/paper.md", True), ("Templates/x/paper.md", True), ("summary template v2.md", True),
        ("summaries/templated_attention.md", False), ("contemplate.md", False), ("Summary.md", False),
        ("summaries/BYOL.md", False),
    ],
)  # fmt: skip
def test_template_names(display: str, expected: bool) -> None:
    assert is_template_name(display) is expected


def test_papers_we_read_imports_its_73_notes_and_skips_its_template(tmp_path: Path) -> None:
    report = import_sources([papers_we_read_or_skip()], tmp_path / "notes")
    assert len(report.imported) == 73 and report.failed == []
    assert skipped_names(report) == ["README.md", "Summary_Template.md"]
