"""Short names: what people call a paper (MobileSAM, not "Faster Segment Anything: Towards…")."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.names import short_name
from indexer.notes import load_notes, parse_note

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_shipped_notes_are_named_as_people_know_them() -> None:
    names = {note.id: short_name(note) for note in load_notes(CONTENT).notes}
    assert names["mobilesam"] == "MobileSAM" and names["fastsam"] == "FastSAM"
    assert (names["vit"], names["detr"], names["clip"]) == ("ViT", "DETR", "CLIP")
    assert names["dinov2"] == "DINOv2"  # the title's own one-word name beats the alias "DINO v2"
    assert names["depth-anything"] == "Depth Anything"  # the alias only adds "V1" to it


@pytest.mark.parametrize(
    ("front", "heading", "expected"),
    [
        ('title: "A Long Paper Title: With a Subtitle"', "", "A Long Paper Title"),
        ('title: "Densely Connected Convolutional Networks (DenseNet)"', "", "DenseNet"),
        ('title: "CLIP (Contrastive Language–Image Pre-training)"', "", "CLIP"),
        ('title: "Faster Segment Anything: Towards Lightweight SAM"', "# MobileSAM", "MobileSAM"),
        ('title: "Plain Title Without Names"', "", "Plain Title Without Names"),
        # more than MAX_SHORT_NAME before the colon: a phrase, not a name
        ('title: "Agents That Write Their Own Memories: Distilling"', "", "Agents That Write Their Own Memories: Distilling"),
    ],
)
def test_rules_without_aliases(tmp_path: Path, front: str, heading: str, expected: str) -> None:
    text = f"---\n{front}\n---\n{heading}\n\nBody.\n"
    note = parse_note(text, path=tmp_path / "n.md", root=tmp_path)
    assert short_name(note) == expected == note.short_name
