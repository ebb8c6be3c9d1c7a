"""HTML in notes reaches the index: a word only found in an HTML caption or alt text finds its note."""

from __future__ import annotations

from pathlib import Path

from indexer.knowledge import KnowledgeBase

FIGURE_NOTE = """\
# Pocket Detectors

Pocket detectors find objects on phones.

<p align="center">
<img src="images/arch.png" width=400 alt="saxifrage backbone diagram">
<br><i>Figure 2: the quillwort fusion neck joins three scales</i></p>

## Results

They run at 30 frames per second.
"""

OTHER_NOTE = "# Cloud Segmenters\n\nCloud segmenters label every pixel on large servers.\n"


def test_a_caption_word_finds_its_note(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "images").mkdir(parents=True)
    (notes / "images" / "arch.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (notes / "pocket.md").write_text(FIGURE_NOTE, encoding="utf-8")
    (notes / "cloud.md").write_text(OTHER_NOTE, encoding="utf-8")
    kb = KnowledgeBase(notes)
    kb.build()
    for mode in ("lexical", "hybrid"):
        hits = kb.retriever().search("quillwort fusion neck", k=3, mode=mode)
        assert hits and hits[0].chunk.note_id == "pocket", mode
        assert "quillwort" in hits[0].chunk.text and "<i>" not in hits[0].chunk.text
        assert hits[0].chunk.start_line <= 7 <= hits[0].chunk.end_line  # the caption's own line
    hits = kb.retriever().search("saxifrage", k=3, mode="lexical")  # an <img> alt text
    assert hits and hits[0].chunk.note_id == "pocket"
