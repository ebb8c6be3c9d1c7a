"""A note's own whole names (alias, title, a file name written as a name) single out the note although others build on them."""

from __future__ import annotations

from types import SimpleNamespace

from indexer.knowledge import KnowledgeBase
from indexer.names import exact_names
from tests.indexer.notes_kit import notes_kb


def note(note_id: str, title: str, *aliases: str) -> SimpleNamespace:
    return SimpleNamespace(id=note_id, title=title, meta={"aliases": list(aliases)})


def test_a_file_name_counts_when_the_notes_write_it_as_a_name() -> None:
    names = exact_names([
        note("summaries/cyclegan", "Unpaired Image-to-Image Translation using Cycle Consistent Adversarial Networks"),
        note("summaries/cycle_dehaze", "Cycle-Dehaze: Enhanced CycleGAN for Single Image Dehazing"),
        note("attention", "Attention Is All You Need"),
        note("vision_attention", "Stand-Alone Self-Attention in Vision Models"),
        note("notes", "Some Paper About Graphs"),
        note("paper2", "Another Paper About Trees"),
        note("BYOL", "Bootstrap Your Own Latent"),
    ])
    assert names["cyclegan"] == "summaries/cyclegan"  # "Enhanced CycleGAN" writes it as a name
    assert names["byol"] == "BYOL"  # written as a name itself
    assert "attention" not in names  # a word: "Self-Attention" writes it as one
    assert "notes" not in names and "paper2" not in names  # say what the file is, not which paper
    assert "cycle_dehaze" not in names  # words joined by "_": a description
    assert names["cycle-dehaze"] == "summaries/cycle_dehaze"  # the part before the colon


def test_aliases_and_titles_count_unless_two_notes_share_them() -> None:
    names = exact_names([
        note("sam", "Segment Anything", "SAM", "Segmenter"),
        note("hq-sam", "Segment Anything in High Quality", "HQ-SAM"),
        note("other", "Segmenter Two", "Segmenter"),
    ])
    assert names["sam"] == "sam" and names["segment anything"] == "sam" and names["hq-sam"] == "hq-sam"
    assert "segmenter" not in names  # two notes' alias: it singles out neither


CYCLEGAN = """---
title: "Unpaired Image-to-Image Translation using Cycle Consistent Adversarial Networks"
authors: [Jun-Yan Zhu, Taesung Park, Phillip Isola, Alexei A. Efros]
year: 2017
---

## Summary

Two generators map pictures between two domains without any paired examples.
The key idea is a cycle consistency loss: translating a picture to the other domain and back must give the original picture.
An adversarial loss in each domain keeps the translated pictures realistic.
"""

DEHAZE = """---
title: "Cycle-Dehaze: Enhanced CycleGAN for Single Image Dehazing"
authors: [Deniz Engin, Anil Genc, Hazim Kemal Ekenel]
year: 2018
---

## Summary

Cycle-Dehaze starts from CycleGAN and removes haze from single pictures without paired hazy and clear images.
It adds a cycle perceptual loss to CycleGAN, which compares pictures in a feature space of a pretrained network.
CycleGAN alone leaves halo artefacts, so the authors upscale the output with a Laplacian pyramid.
CycleGAN training data here are unpaired hazy and clear pictures.
"""


INVERSION = """---
title: "An Image is Worth One Word: Personalizing Text-to-Image Generation using Textual Inversion"
year: 2022
---

## Summary

A handful of pictures of one concept are turned into a single new word embedding of a frozen text-to-image model.
The new word can then be used in prompts like any other word.
"""

DREAMBOOTH = """---
title: "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation"
year: 2022
---

## Summary

DreamBooth fine-tunes the whole diffusion model on a few pictures of a subject tied to a rare token.
A prior preservation loss keeps the model able to draw other members of the subject's class.
"""
cycles = notes_kb(
    {"cyclegan.md": CYCLEGAN, "cycle_dehaze.md": DEHAZE, "Textual_inversion.md": INVERSION, "DreamBooth.md": DREAMBOOTH},
    name="cycles",
)


def test_a_question_naming_the_file_finds_that_note(cycles: KnowledgeBase) -> None:
    retriever = cycles.retriever()
    assert retriever.named_notes("what loss does CycleGAN use?") == ["cyclegan"]
    assert retriever.named_notes("what does Cycle-Dehaze add to CycleGAN?") == ["cycle_dehaze", "cyclegan"]
    answer = cycles.ask("who wrote CycleGAN?")
    assert "Zhu" in (answer.text or "") and "Engin" not in (answer.text or "")


def test_a_file_name_s_words_joined_by_underscores_name_the_note(cycles: KnowledgeBase) -> None:
    assert cycles.retriever().named_notes("DreamBooth vs Textual Inversion") == ["DreamBooth", "Textual_inversion"]
    answer = cycles.ask("How does DreamBooth compare with Textual Inversion?")
    assert {c.note for c in answer.citations} == {"DreamBooth", "Textual_inversion"}  # each side quoted


def test_the_original_leads_over_a_note_whose_name_builds_on_it(cycles: KnowledgeBase) -> None:
    """Cycle-Dehaze ("Enhanced CycleGAN") says "CycleGAN" more often than the CycleGAN note does; asked about CycleGAN, the CycleGAN note answers."""
    answer = cycles.ask("what loss does CycleGAN use?")
    assert answer.citations[0].note == "cyclegan"
    assert "cycle consistency loss" in (answer.text or "").split("[1]")[0]  # the first sentence is the CycleGAN note's
