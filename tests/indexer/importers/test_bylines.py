"""Authors read from the byline under a note's title when it has no front matter, and `Authors:-` metadata lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indexer.importers.byline import byline_authors
from indexer.importers.markdown import convert_note
from indexer.notes import read_note


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Mara Quill, Tobias Fenwick, Ines L. Okafor, NIPS 2019", ["Mara Quill", "Tobias Fenwick", "Ines L. Okafor"]),
        ("Mara Quill,Tobias Fenwick, **ICML 2024**", ["Mara Quill", "Tobias Fenwick"]),
        ("Mara Quill, Tobias Fenwick <br>", ["Mara Quill", "Tobias Fenwick"]),
        ("Mara Quill, Tobias Fenwick</br>", ["Mara Quill", "Tobias Fenwick"]),
        ("Mara Quill, Tobias Fenwick **CVPR** **2021**", ["Mara Quill", "Tobias Fenwick"]),
        ("**Authors:** Mara Quill & Tobias Fenwick", ["Mara Quill", "Tobias Fenwick"]),
        ("Authors:Quill, Mara and Fenwick, Tobias and Okafor, Ines", ["Mara Quill", "Tobias Fenwick", "Ines Okafor"]),
        ("Mara Quill, et al., NeurIPS 2020", ["Mara Quill", "et al."]),
        ("Mara Quill et. al , **ICCV** **2023**", ["Mara Quill", "et al."]),
        ("Mara Quill, Tobias O' Fenwick, Ines Okafor, NIPS-2019", ["Mara Quill", "Tobias O'Fenwick", "Ines Okafor"]),
        ("Mara Quill1, Tobias Fenwick2, Pieter van der Berg", ["Mara Quill", "Tobias Fenwick", "Pieter van der Berg"]),
        ("*Mara Quill*, *Tobias Fenwick*", ["Mara Quill", "Tobias Fenwick"]),
        ("Mara Quill , Tobias Fenwick | University of Somewhere | ICCV'23", ["Mara Quill", "Tobias Fenwick"]),
        ("Mara Quill and Tobias Fenwick", ["Mara Quill", "Tobias Fenwick"]),
    ],
)
def test_a_byline_names_the_authors(line: str, authors: list[str]) -> None:
    assert byline_authors(["", line, "Some Institute", ""], 0) == authors


@pytest.mark.parametrize(
    "line",
    [
        "This paper proposes a detector, a loss and a dataset.",
        "Mara Quill",  # one name alone could be anything: a heading-like line, a dedication
        "Research Lab of Things (RLT), Mara Quill, Tobias Fenwick",  # it starts with an organisation
        "- Authors: Mara Quill, Tobias Fenwick",  # a metadata list: read as one already
        "## Summary",
        "![Figure 1](fig.png)",
        "CVPR 2021, ICCV 2023",
    ],
)
def test_other_opening_lines_name_nobody(line: str) -> None:
    assert byline_authors([line, "", "More text."], 0) == []


def test_an_imported_note_gets_its_byline_authors_in_front_matter(tmp_path: Path) -> None:
    source = tmp_path / "quillnet.md"
    source.write_text(
        "# QuillNet: Writing With Feathers\n\n Mara Quill, Tobias Fenwick, Ines Okafor, NIPS 2017\n\n"
        "## Summary\n\nQuillNet writes with feathers.\n",
        encoding="utf-8",
    )
    converted = convert_note(source)
    front = yaml.safe_load(converted.markdown.split("---\n")[1])
    assert front["authors"] == ["Mara Quill", "Tobias Fenwick", "Ines Okafor"]
    assert "Mara Quill, Tobias Fenwick, Ines Okafor, NIPS 2017" in converted.markdown  # the byline stays in the text
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "quillnet.md").write_text(converted.markdown, encoding="utf-8")
    note = read_note(notes / "quillnet.md", notes)
    assert note.meta.authors == ["Mara Quill", "Tobias Fenwick", "Ines Okafor"] and note.meta.year == 2017


@pytest.mark.parametrize("separator", [":-", ":", ": -"])
def test_a_metadata_line_written_authors_colon_dash_names_the_authors(tmp_path: Path, separator: str) -> None:
    note = tmp_path / "gan.md"
    note.write_text(
        f"# A Generator of Things\n\n- Authors{separator} Mara Quill, Tobias Fenwick\n"
        f"- Year of publication{separator} 2018\n\n## Summary\n\nText.\n",
        encoding="utf-8",
    )
    parsed = read_note(note, tmp_path)
    assert parsed.meta.authors == ["Mara Quill", "Tobias Fenwick"] and parsed.meta.year == 2018


def test_an_imported_metadata_list_written_colon_dash_loses_the_dash(tmp_path: Path) -> None:
    source = tmp_path / "gan.md"
    source.write_text("# A Generator of Things\n\n- **Authors**:- Mara Quill, Tobias Fenwick\n\nText.\n", encoding="utf-8")
    front = yaml.safe_load(convert_note(source).markdown.split("---\n")[1])
    assert front["authors"] == ["Mara Quill", "Tobias Fenwick"]
