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


@pytest.mark.parametrize(
    ("stem", "title", "body", "expected"),
    [
        # one word, written as a name in the note: it leads, as the note writes it
        ("ZEPHYR", "Talking to Robots by Combining Planners", "ZEPHYR plans. Zephyr talks.", "ZEPHYR"),
        ("koalanet", "A Network for Koalas", "We show that KoalaNet beats the rest.", "KoalaNet"),
        ("vorpal", "Sharp Blades for Image Synthesis", "The model, named Vorpal, is big.", "Vorpal"),
        ("DIRE", "DIRE for Diffusion-Generated Image Detection", "DIRE is a residual.", "DIRE"),
        ("PIKA-Net", "A Long Title About Dehazing Images", "PIKA-Net removes haze.", "PIKA-Net"),
        ("GooseNet summary", "A Long Title About Geese", "GooseNet honks.", "GooseNet"),
        ("crane", "A Long Title About Birds", "Code: https://github.com/someone/CRANE-pytorch", "CRANE"),
        # the initials of title words, in order
        ("srn", "Scene Representation Networks: Continuous Stuff", "Body.", "SRN"),
        # words: a name only when the note runs them together, or shortens them
        ("style_GAN", "A Style-Based Generator for Adversarial Networks", "Code: https://github.com/lab/stylegan", "StyleGAN"),
        ("Vision_Transformer", "An Image is Worth Words: Transformers at Scale", "ViT works. ViT-L is big.", "ViT"),
        ("feature_denoising", "Feature Denoising for Robustness", "We read feature_denoising code.", "Feature Denoising for Robustness"),
        ("Pause_Tokens", "THINK BEFORE YOU SPEAK: Training With Pause Tokens", "Pause tokens help.", "THINK BEFORE YOU SPEAK"),
        ("uniform_convergence", "Uniform convergence may fail", "See https://x.org/uniformconvergence", "Uniform convergence may fail"),
        # not the paper's name: a word of the title, only in its own image paths, generic, nowhere
        ("florence", "Do you know that Florence is packed with visitors?", "Florence is busy.", "Do you know that Florence is packed with visitors?"),
        ("siamese", "Siamese Networks for Matching", "Siamese nets match.", "Siamese Networks for Matching"),
        ("Quokka", "A Paper About Marsupials", "<img src='Quokka/Quokka.png'>\n\n![x](quokka/plot.png)", "A Paper About Marsupials"),
        ("notes", "A Paper About Notes", "Notes here.", "A Paper About Notes"),
        ("TAPIR", "Tracking Any Point", "Body.", "Tracking Any Point"),
        ("scene", "INDOOR SCENE SYNTHESIS WITH GRAPHS", "The scene is made.", "INDOOR SCENE SYNTHESIS WITH GRAPHS"),
    ],
)
def test_a_file_name_that_names_the_paper_leads(tmp_path: Path, stem: str, title: str, body: str, expected: str) -> None:
    from indexer.catalog import scan

    (tmp_path / f"{stem}.md").write_text(f'---\ntitle: "{title}"\n---\n\n# {title}\n\n{body}\n', encoding="utf-8")
    (note,) = load_notes(tmp_path).notes
    assert short_name(note) == expected
    for _ in range(2):  # read, then from the catalog's cache: the record keeps the file's name for the paper
        (record,) = scan(tmp_path).notes
        assert short_name(record) == expected


def test_an_alias_still_beats_the_file_name(tmp_path: Path) -> None:
    text = '---\ntitle: "Talking to Robots"\naliases: [RoboTalk]\n---\n\nZEPHYR plans.\n'
    note = parse_note(text, path=tmp_path / "ZEPHYR.md", root=tmp_path)
    assert note.stem_name == "ZEPHYR" and short_name(note) == "RoboTalk"


def test_records_of_another_file_name_rule_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.catalog
    import indexer.notes
    from indexer.catalog import scan

    (tmp_path / "ZEPHYR.md").write_text('---\ntitle: "Talking to Robots"\n---\n\nZEPHYR plans.\n', encoding="utf-8")
    assert [short_name(n) for n in scan(tmp_path).notes] == ["ZEPHYR"]  # the catalog's cache written
    for module in (indexer.catalog, indexer.notes):
        monkeypatch.setattr(module, "stem_name", lambda *_: "Zephyr-2")
    assert [short_name(n) for n in scan(tmp_path).notes] == ["ZEPHYR"]  # the same rule: the record is trusted
    monkeypatch.setattr(indexer.catalog, "STEM_NAME_RULE", 99)
    assert [short_name(n) for n in scan(tmp_path).notes] == ["Zephyr-2"]


def test_the_mcp_and_json_views_give_the_short_name_the_app_shows(tmp_path: Path) -> None:
    from indexer import views

    (tmp_path / "ZEPHYR.md").write_text('---\ntitle: "Talking to Robots: A Planner"\n---\n\nZEPHYR plans.\n', encoding="utf-8")
    (note,) = load_notes(tmp_path).notes
    assert views.note_summary(note)["short_name"] == "ZEPHYR" == views.short_name(note)
