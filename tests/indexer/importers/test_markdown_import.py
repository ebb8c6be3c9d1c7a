"""Markdown notes → notes: front matter derived from a heading or `* **Title**:` list, images copied."""

from __future__ import annotations

import pytest

from indexer.importers import import_sources
from indexer.importers.markdown import convert_note
from indexer.notes import read_note

COLLECTION_NOTES = ["heading-first", "segment-anything", "sub/nested", "with-front-matter"]


def test_collection_matches_golden_notes(markdown_fixtures, tmp_path, golden):
    notes = tmp_path / "notes"
    report = import_sources([markdown_fixtures / "collection"], notes)

    assert report.failed == [] and report.skipped == []
    assert (
        sorted(p.relative_to(notes).with_suffix("").as_posix() for p in report.imported)
        == COLLECTION_NOTES
    )
    for note_id in COLLECTION_NOTES:
        golden(
            (notes / f"{note_id}.md").read_text(encoding="utf-8"),
            markdown_fixtures / "golden" / f"{note_id}.md",
        )


def test_metadata_list_becomes_front_matter(markdown_fixtures, tmp_path, read_front_matter):
    notes = tmp_path / "notes"
    import_sources([markdown_fixtures / "collection" / "segment-anything.md"], notes)

    meta = read_front_matter(notes / "segment-anything.md")
    assert meta == {
        "title": "Segment Anything",
        "authors": ["Alexander Kirillov", "Eric Mintun", "Nikhila Ravi"],
        "year": 2023,
        "paper": "https://arxiv.org/abs/2304.02643",
        "code": "https://github.com/facebookresearch/segment-anything",
        "tags": ["segmentation", "foundation models", "promptable"],
    }
    text = (notes / "segment-anything.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert body.startswith("\n# Segment Anything\n\n* **Venue**: ICCV 2023\n")  # unknown keys stay
    assert "**Title**" not in body and "**Authors**" not in body

    note = read_note(notes / "segment-anything.md", notes)
    assert note.title == "Segment Anything" and note.meta.year == 2023


def test_local_images_are_copied_and_raw_suffix_dropped(markdown_fixtures, tmp_path):
    notes = tmp_path / "notes"
    report = import_sources([markdown_fixtures / "collection" / "segment-anything.md"], notes)

    images = markdown_fixtures / "collection" / "images"
    assert sorted(p.name for p in (notes / "segment-anything").iterdir()) == [
        "fig.png",
        "mask overlay.png",
    ]
    assert (notes / "segment-anything" / "fig.png").read_bytes() == (
        images / "fig.png"
    ).read_bytes()
    text = (notes / "segment-anything.md").read_text(encoding="utf-8")
    assert "![The SAM architecture](segment-anything/fig.png)\n" in text
    assert '<img src="segment-anything/mask overlay.png" width="300">' in text
    remote = "https://github.com/facebookresearch/segment-anything/blob/main/assets/model_diagram.png?raw=true"
    assert f"![Remote figure]({remote})" in text  # remote: left alone
    assert "![A missing figure](images/missing.png?raw=true)" in text
    assert "![Inside a code block](images/fig.png?raw=true)" in text  # code is not rewritten
    assert report.warnings == [
        "segment-anything.md:19: image not found, kept as a link: images/missing.png",
        "segment-anything.md:21: image outside the source tree, not read, kept as a link: ../../outside.png",
    ]


def test_images_from_a_parent_folder_inside_the_tree_are_copied(markdown_fixtures, tmp_path):
    notes = tmp_path / "notes"
    import_sources([markdown_fixtures / "collection"], notes)

    assert (notes / "sub" / "nested" / "fig.png").is_file()
    assert "![Shared figure](nested/fig.png)" in (notes / "sub" / "nested.md").read_text(
        encoding="utf-8"
    )


def test_but_not_when_the_note_alone_is_the_source(markdown_fixtures, tmp_path):
    notes = tmp_path / "notes"
    report = import_sources([markdown_fixtures / "collection" / "sub" / "nested.md"], notes)

    assert not (notes / "nested").exists()
    assert report.warnings == [
        "nested.md:5: image outside the source tree, not read, kept as a link: ../images/fig.png"
    ]


def test_front_matter_is_kept_as_it_is(markdown_fixtures, tmp_path):
    source = markdown_fixtures / "collection" / "with-front-matter.md"
    notes = tmp_path / "notes"

    import_sources([source], notes)

    assert (notes / "with-front-matter.md").read_bytes() == source.read_bytes()


def test_title_falls_back_to_the_file_name(tmp_path):
    note = tmp_path / "notes-on-clip.md"
    note.write_text("Some text before any heading.\n\n## A section\n", encoding="utf-8")

    converted = convert_note(note)

    assert converted.markdown == (
        "---\ntitle: notes-on-clip\n---\n\n# notes-on-clip\n\nSome text before any heading.\n\n## A section\n"
    )


def test_heading_title_keeps_a_different_listed_title_as_alias(tmp_path):
    note = tmp_path / "vit.md"
    note.write_text(
        "# ViT\n\n- **Title:** An Image is Worth 16x16 Words\n- **Year:** 2020\n\nBody.\n",
        encoding="utf-8",
    )

    converted = convert_note(note)

    assert converted.markdown == (
        "---\ntitle: ViT\nyear: 2020\naliases:\n- An Image is Worth 16x16 Words\n---\n\n# ViT\n\nBody.\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"---\ntitle: [unclosed\n---\n\nBody\n",
            "bad.md:2: invalid front matter (a bracket is never closed)",
        ),
        (b"---\n- a list\n---\n\nBody\n", "bad.md:2: front matter is not `key: value` pairs"),
        (
            b"# Title\n\ncaf\xe9\n",
            "bad.md:3: not valid UTF-8 (byte 0xe9); skipped (save the file as UTF-8)",
        ),
        (b"\x00\x01\x02binary", "bad.md: looks like a binary file, not Markdown; skipped"),
    ],
)
def test_broken_notes_fail_with_a_clear_message_and_write_nothing(tmp_path, content, message):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.md").write_bytes(content)
    notes = tmp_path / "notes"

    report = import_sources([tmp_path / "src"], notes)

    assert [(p.name, m) for p, m in report.failed] == [("bad.md", message)]
    assert list(notes.iterdir()) == []


def test_empty_note_is_skipped(tmp_path):
    (tmp_path / "empty.md").write_text("\n  \n", encoding="utf-8")

    report = import_sources([tmp_path / "empty.md"], tmp_path / "notes")

    assert [(p.name, r) for p, r in report.skipped] == [("empty.md", "empty note")]


def test_an_img_tag_spread_over_lines_is_copied_like_one_on_a_line(tmp_path):
    source = tmp_path / "repo"
    (source / "images").mkdir(parents=True)
    (source / "images" / "overview.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (source / "summaries").mkdir()
    (source / "summaries" / "tune.md").write_text(
        "# Tune A Video\n\nThe method.\n\n<img src='../images/overview.png'\n"
        'style="width:6in;height:5in" />\n\nMore.\n\n<img\n  src="../images/gone.png" />\n',
        encoding="utf-8",
    )
    notes = tmp_path / "notes"
    report = import_sources([source], notes)

    text = (notes / "summaries" / "tune.md").read_text(encoding="utf-8")
    assert "<img src='tune/overview.png'\nstyle=" in text
    assert (notes / "summaries" / "tune" / "overview.png").read_bytes() == (
        source / "images" / "overview.png"
    ).read_bytes()
    assert report.warnings == [
        "summaries/tune.md:11: image not found, kept as a link: ../images/gone.png"
    ]


def test_a_note_opening_with_a_long_subheading_takes_it_as_title_and_keeps_its_file_name(tmp_path):
    note = tmp_path / "BYOL.md"
    note.write_text(
        "## Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning\n\n"
        "Jean-Bastien Grill et al., **NeurIPS 2020**\n\n## Summary\n\nNo negative pairs.\n",
        encoding="utf-8",
    )

    converted = convert_note(note)

    assert converted.markdown == (
        "---\ntitle: 'Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning'\nauthors:\n- Jean-Bastien Grill\n- et al.\n"
        "aliases:\n- BYOL\n---\n\n"
        "# Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning\n\n"
        "Jean-Bastien Grill et al., **NeurIPS 2020**\n\n## Summary\n\nNo negative pairs.\n"
    )


@pytest.mark.parametrize("opening", ["## Summary", "## Two Cents", "## Adversarial RL notes"])
def test_but_a_short_first_section_heading_is_no_title(tmp_path, opening):
    note = tmp_path / "adversarial_rl_notes.md"
    note.write_text(f"{opening}\n\nText.\n", encoding="utf-8")

    converted = convert_note(note)

    assert converted.markdown.startswith("---\ntitle: adversarial_rl_notes\n---\n\n# adversarial_rl_notes\n\n")
    assert f"\n{opening}\n" in converted.markdown
