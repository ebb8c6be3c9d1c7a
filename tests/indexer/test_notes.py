"""Parsing notes: front matter, metadata lists, sections, line ranges, images, reading order."""

from __future__ import annotations

from pathlib import Path

from indexer.notes import load_notes, read_note


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_sections_and_line_ranges(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Alpha\nauthors: [Ann One, Bo Two]\nyear: 2023\ntags: [seg]\npaper: https://arxiv.org/abs/1\n---\n"
        "# Alpha\n\nIntro line.\n\n## Results\n\n- first item\n  - nested item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    note = read_note(write(tmp_path, "alpha.md", text), tmp_path)
    assert note.id == "alpha"
    assert note.title == "Alpha"
    assert note.meta.authors == ["Ann One", "Bo Two"]
    assert note.meta.year == 2023
    assert note.meta.paper == "https://arxiv.org/abs/1"
    lines = text.splitlines()
    results = next(s for s in note.sections if s.path == ("Results",))
    assert [b.kind for b in results.blocks] == ["list_item", "list_item", "table"]
    for block in results.blocks:
        source = "\n".join(lines[block.start_line - 1 : block.end_line])
        assert block.text.split("\n")[0].split(" | ")[0] in source
    assert results.blocks[1].depth == 1


def test_note_without_front_matter_uses_metadata_list(tmp_path: Path) -> None:
    text = "* **Title**: Beta Net\n* **Authors**: A. Person, B. Person\n* **Year**: 2021\n* **Paper**: [arXiv](https://arxiv.org/abs/2)\n\nBody text here.\n"
    note = read_note(write(tmp_path, "beta.md", text), tmp_path)
    assert note.title == "Beta Net"
    assert note.meta.year == 2021
    assert note.meta.authors == ["A. Person", "B. Person"]


def test_title_falls_back_to_heading_then_file_name(tmp_path: Path) -> None:
    assert read_note(write(tmp_path, "x.md", "# Gamma Paper\n\ntext\n"), tmp_path).title == "Gamma Paper"
    assert read_note(write(tmp_path, "delta-net.md", "just text\n"), tmp_path).title == "delta net"


def test_bad_front_matter_is_a_warning_with_a_line(tmp_path: Path) -> None:
    note = read_note(write(tmp_path, "bad.md", "---\ntitle: [unclosed\n---\n# Bad\n\ntext\n"), tmp_path)
    assert note.title == "Bad"
    assert any(w.line and "front matter" in w.message for w in note.warnings)


def test_images_outside_the_folder_are_never_resolved(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "img" / "fig.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    text = "# I\n\n![inside](img/fig.png?raw=true)\n\n![outside](../secret.png)\n"
    note = read_note(write(notes, "i.md", text), notes)
    inside, outside = note.images
    assert inside.file == (notes / "img" / "fig.png").resolve()
    assert outside.file is None
    assert any("outside the notes folder" in w.message and w.line == 5 for w in note.warnings)


def test_a_missing_image_is_reported_at_its_own_line_not_its_paragraphs(tmp_path: Path) -> None:
    """The image a text line leads into (papers_we_read's `text` then `<img>` on the next line) is
    reported where it is written, so an editor's jump lands on it."""
    text = "# I\n\nThe comparison with prior work:\n<img src='gone.png'>\n\n- a bullet\n  and more\n  ![plot](lost.png)\n"
    note = read_note(write(tmp_path, "i.md", text), tmp_path)
    assert [(w.line, w.message) for w in note.warnings if "not found" in w.message] == [
        (4, "image 'gone.png' not found"),
        (8, "image 'lost.png' not found"),
    ]
    assert [image.line for image in note.images] == [4, 8]


def test_unreadable_files_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    write(tmp_path, "good.md", "# Good\n\ntext\n")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    collection = load_notes(tmp_path)
    assert [n.id for n in collection.notes] == ["good"]
    messages = sorted(str(e) for e in collection.errors)
    assert "binary.md" in messages[0] and "latin1.md:1" in messages[1]


def test_reading_order_follows_order_then_prev_next(tmp_path: Path) -> None:
    write(tmp_path, "c.md", "---\ntitle: C\norder: 1\n---\ntext\n")
    write(tmp_path, "a.md", "---\ntitle: A\nprev: c\n---\ntext\n")
    write(tmp_path, "b.md", "---\ntitle: B\nprev: a\n---\ntext\n")
    assert [n.id for n in load_notes(tmp_path).notes] == ["c", "a", "b"]


def test_shipped_content_is_in_reading_order_without_problems() -> None:
    collection = load_notes(Path(__file__).resolve().parents[2] / "content")
    assert len(collection.notes) >= 12
    assert not collection.errors
    ids = [n.id for n in collection.notes]
    assert ids.index("mobilesam") == ids.index("sam") + 1
    for note in collection.notes:
        assert "## Sources" in note.text, note.id


HTML_NOTE = """\
---
title: "Widget Transformers for Tiny Screens"
---
# Widget Transformers for Tiny Screens

Intro with R<sup>H×W</sup> features.

<p align="center">
<img src="images/arch.png" width=480 alt="architecture">
<br><i>Figure 1: the zanzibarine attention block</i></p>

<img src='../outside.png'>

## Results

Scores after the figure.
"""


def test_html_images_and_captions_are_parsed_like_markdown(tmp_path: Path) -> None:
    from PIL import Image as Picture

    (tmp_path / "images").mkdir()
    Picture.new("RGB", (4, 4)).save(tmp_path / "images" / "arch.png")
    (tmp_path.parent / "outside.png").write_bytes(b"not read")
    note = read_note(write(tmp_path, "widget.md", HTML_NOTE), tmp_path)
    assert note.markdown.count("\n") == note.text.count("\n")
    inside, outside = note.images
    assert (inside.src, inside.alt, inside.width, inside.file) == (
        "images/arch.png", "architecture", 480, tmp_path / "images" / "arch.png"
    )
    assert outside.file is None  # outside the notes folder: never read
    assert any("points outside the notes folder" in w.message and w.line == 12 for w in note.warnings)
    texts = {b.text: (b.start_line, b.end_line) for s in note.sections for b in s.blocks}
    caption = next(t for t in texts if "zanzibarine" in t)
    assert texts[caption] == (9, 10) and "Figure 1" in caption  # the image's paragraph, as in the file
    assert any("R^(H×W)" in t for t in texts)
    results = next(s for s in note.sections if s.path == ("Results",))
    assert results.start_line == 14 and results.blocks[0].start_line == 16  # lines unchanged


def test_wrong_metadata_types_are_reported_with_their_line(tmp_path: Path) -> None:
    text = "---\ntitle: Odd\nauthors: 5\ntags: {a: 1}\nyear: soon\naliases: [Odd, {x: 1}]\norder: first\n---\n\nBody.\n"
    note = read_note(write(tmp_path, "odd.md", text), tmp_path)
    problems = {w.field: (w.line, w.message) for w in note.metadata_warnings}
    assert problems["authors"] == (3, "authors should be a list or text, not a number (5); ignored")
    assert problems["tags"][0] == 4 and "a mapping" in problems["tags"][1]
    assert problems["year"][0] == 5 and "'soon' is not a year" in problems["year"][1]
    assert problems["aliases"][0] == 6 and problems["order"][0] == 7
    assert note.meta.authors == [] and note.meta.tags == [] and note.meta.year is None
    assert note.meta.aliases == ["Odd"] and str(note.metadata_warnings[0]).startswith("odd.md:3: ")


def test_good_metadata_gives_no_warnings(tmp_path: Path) -> None:
    text = "---\ntitle: 1984\nauthors: A, B and C\ntags: [x, 2]\nyear: 2023-05-01\norder: 2\n---\n\nBody.\n"
    note = read_note(write(tmp_path, "good.md", text), tmp_path)
    assert note.warnings == [] and note.title == "1984" and note.meta.year == 2023
    assert note.meta.authors == ["A", "B", "C"] and note.meta.tags == ["x", "2"]


def test_yaml_errors_point_at_the_line_that_starts_the_problem(tmp_path: Path) -> None:
    quote = read_note(write(tmp_path, "q.md", '---\ntitle: "Open quote\ntags: [a]\nyear: 2020\n---\n\nBody.\n'), tmp_path)
    assert [(w.line, w.message) for w in quote.warnings] == [(2, "front matter ignored: a quote is never closed")]
    bracket = read_note(write(tmp_path, "b.md", "---\ntitle: T\ntags: [a, b\nyear: 2020\n---\n\nBody.\n"), tmp_path)
    assert [w.line for w in bracket.warnings] == [3]
    date = read_note(write(tmp_path, "d.md", "---\ntitle: T\ndate: 2023-13-45\n---\n\nBody.\n"), tmp_path)
    assert [w.line for w in date.warnings] == [3]


def test_the_year_of_a_venue_line_under_the_title_is_the_notes_year(tmp_path: Path) -> None:
    bylines = {
        "Ann One, Bo Two, **CVPR 2021**": 2021,
        "Ann One, Bo Two, NIPS 2017": 2017,
        "Ann One, Bo Two <br>\n**ICML** **2019**": 2019,
        "**Authors:** Ann One, Bo Two\n\n**Conference:** ACL (Association for Computational Linguistics) 2020": 2020,
        "Ann One, Bo Two\n\n**Springer Multimedia Tools and applications** **2022**": 2022,
        "Ann One, Bo Two, ICLR-2018": 2018,
        "Ann One, Bo Two, **<ICLR>** **2024**": 2024,
        "Ann One and Bo Two (Science Journal 2016)": 2016,
        "- Year of publication:- 2015": 2015,
    }
    for number, (byline, year) in enumerate(bylines.items()):
        text = f"# Paper {number}: A Title\n\n{byline}\n\n## Summary\n\nThe method was proposed in 2012 and it works.\n"
        note = read_note(write(tmp_path, f"p{number}.md", text), tmp_path)
        assert (note.meta.year, note.warnings) == (year, []), byline
    prose = {
        "prose.md": "# A Title\n\nThis paper was published in 2017.\n\n## Summary\n\nText.\n",
        "late.md": "# A Title\n\nAnn One, Bo Two\n\n## Summary\n\nText.\n\nMore text.\n\nThe venue is CVPR 2021\n",
        "number.md": "# A Title\n\nAnn One, Bo Two, run 12019\n\n## Summary\n\nText.\n",
        "range.md": "# A Title\n\nAnn One, Bo Two, **CVPR 2203**\n\n## Summary\n\nText.\n",
    }
    for name, text in prose.items():
        assert read_note(write(tmp_path, name, text), tmp_path).meta.year is None, name
    front = "---\ntitle: A Title\nyear: 2019\n---\n\nAnn One, Bo Two, **CVPR 2021**\n\n## Summary\n\nText.\n"
    assert read_note(write(tmp_path, "front.md", front), tmp_path).meta.year == 2019  # front matter wins


def test_a_list_nested_25_levels_deep_keeps_every_level(tmp_path: Path) -> None:
    """markdown-it's CommonMark preset stops at 20 nesting tokens (9 list levels) and drops the rest, text and all."""
    body = "".join(f"{'  ' * level}- level {level}\n" for level in range(25))
    path = tmp_path / "nest.md"
    path.write_text(f"# Deep Nest\n\n{body}", encoding="utf-8")
    note = read_note(path, tmp_path)
    text = "\n".join(block.text for section in note.sections for block in section.blocks)
    assert all(f"level {level}" in text for level in range(25))


def test_a_venue_with_its_year_near_the_top_is_the_notes_year(tmp_path: Path) -> None:
    """No byline year: a venue named with a year in the first paragraphs ("award at ACL 2019") gives it."""
    tops = {
        "Ann One, Bo Two\n\n## Summary\n\nA method. **This paper got the best paper award at ACL 2019**": 2019,
        "Ann One, Bo Two\n\n## Summary\n\nAmong the top 3% of NIPS 2019 papers. It works.": 2019,
        "Ann One\n\nIt won the Outstanding paper award at ACL-2018, then more.": 2018,
        "Ann One\n\nA workshop paper (CVPRW 2020) on dehazing, then more.": 2020,
    }
    for number, (top, year) in enumerate(tops.items()):
        note = read_note(write(tmp_path, f"v{number}.md", f"# A Title\n\n{top}\n"), tmp_path)
        assert (note.meta.year, note.warnings) == (year, []), top
        assert note.meta.year_line is not None  # the text states it: the About passage doesn't repeat it
    not_venues = {
        "dataset.md": "# A Title\n\nAnn One\n\n## Summary\n\nTrained on WMT 2014 and ImageNet 2012, it works.\n",
        "late.md": "# A Title\n\nAnn One\n\n## Summary\n\nText.\n\nMore text.\n\nIt builds on a CVPR 2016 paper.\n",
        "word.md": "# A Title\n\nAnn One\n\nThe ACLU 2019 report and ICMLS 2018, then more.\n",
    }
    for name, text in not_venues.items():
        assert read_note(write(tmp_path, name, text), tmp_path).meta.year is None, name
    front = "---\ntitle: A Title\nyear: 2017\n---\n\nAnn One\n\nIt won an award at ACL 2019, then more.\n"
    assert read_note(write(tmp_path, "front.md", front), tmp_path).meta.year == 2017  # a stated year is never replaced


def test_the_arxiv_id_of_the_paper_link_gives_the_year_when_nothing_else_does(tmp_path: Path) -> None:
    links = {
        "---\ntitle: A Title\npaper: https://arxiv.org/abs/2304.12345\n---\n\nText.\n": 2023,
        "# A Title\n\n[[Paper](https://arxiv.org/abs/2401.09419)] Ann One\n\nText.\n": 2024,
        "# A Title\n\nText.\n\n## Resources\n\n- Paper:- https://arxiv.org/pdf/1805.05308.pdf\n": 2018,
        "# A Title\n\nText.\n\n## Resources\n\nPaper : https://arxiv.org/pdf/2307.15043.pdf\n": 2023,
        "# A Title\n\n- **arXiv**: arXiv:1706.03762\n\nText.\n": 2017,
        "# A Title\n\nText.\n\nPDF: https://arxiv.org/abs/cs/9912012\n": 1999,
    }
    for number, (text, year) in enumerate(links.items()):
        note = read_note(write(tmp_path, f"a{number}.md", text), tmp_path)
        assert (note.meta.year, note.meta.year_line, note.warnings) == (year, None, []), text
    others = {
        "cited.md": "# A Title\n\nIt adapts [CycleGAN](https://arxiv.org/pdf/1703.10593.pdf) to dehazing.\n",
        "code.md": "# A Title\n\nText.\n\n```\nPaper: https://arxiv.org/abs/2304.12345\n```\n",
        "month.md": "# A Title\n\nText.\n\nPaper: https://arxiv.org/abs/2313.12345\n",
    }
    for name, text in others.items():
        assert read_note(write(tmp_path, name, text), tmp_path).meta.year is None, name
    venue = "# A Title\n\nAnn One, ICLR 2021\n\nText.\n\nPaper: https://arxiv.org/abs/2010.11929\n"
    assert read_note(write(tmp_path, "venue.md", venue), tmp_path).meta.year == 2021  # the venue's year first
    stated = "---\ntitle: A Title\nyear: 2021\npaper: https://arxiv.org/abs/2010.11929\n---\n\nText.\n"
    assert read_note(write(tmp_path, "stated.md", stated), tmp_path).meta.year == 2021
