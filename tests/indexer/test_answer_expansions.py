"""What an acronym stands for is answered with the sentence that spells it out, even where its cosine is low."""

from __future__ import annotations

import pytest

from indexer.answer.expansion import asked_acronym, lists_expansion
from indexer.answer.features import spells_out_acronym
from indexer.answer.questions import classify
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, build_notes, notes_kb

NOTES = {
    "quickzebra.md": """\
---
title: Striped Animal Detection
aliases: [QZD, Quick Zebra Detector]
---

# Striped Animal Detection

## Summary

The detector finds zebras in savanna photographs from the pattern of their stripes alone.
""",
    "widgetboot.md": """\
# Learning Widget Features without Labels

Ada Lovelace, Alan Turing, ICML 2031

## Summary

The authors introduce Quantised Widget Bootstrapping (QWB), which learns widget features by predicting one augmented view from another.
An online encoder is trained to match a slowly moving target encoder, and no negative pairs are needed.

## Results

Images restored with the learned features reach a higher peak signal-to-noise ratio (PSNR) than with supervised ones, 31.2 dB against 30.4 dB.
Linear probing on Widgets-1k gives 74.3% top-1 accuracy.

## Context

The encoder is a ResNet-50, and the approach is compared with contrastive methods that do need negatives.
""",
    "sortnet.md": """\
# SortNet: Sorting Gadgets by Shape

## Summary

SortNet sorts gadgets on a conveyor belt by the outline of their shadows.
It uses a small convolutional network trained on 20 thousand shadow images.
""",
}
kb = notes_kb(NOTES)


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("What does BYOL stand for?", "BYOL"),
        ("what does the name bart stand for?", "bart"),
        ("What is SISA short for in the unlearning paper?", "SISA"),
        ("What does the acronym DyT mean?", "DyT"),
        ("How does BYOL avoid collapse?", None),
    ],
)
def test_the_acronym_asked_about(question: str, acronym: str | None) -> None:
    assert asked_acronym(question) == acronym


def test_a_spelled_out_acronym_is_the_one_asked_about() -> None:
    sentence = "Images get a higher peak signal-to-noise ratio (PSNR) with Quantised Widget Bootstrapping (QWB)."
    assert spells_out_acronym(sentence, "psnr") and spells_out_acronym(sentence, "QWB")
    assert not spells_out_acronym(sentence, "SSIM")
    assert spells_out_acronym("BART, short for Bidirectional and Auto-Regressive Transformers, is a denoiser.", "BART")


def test_an_expansion_question_asks_for_no_figure() -> None:
    assert classify("What does PSNR stand for?").kind != "quantity"
    assert classify("What PSNR does QWB reach?").kind == "quantity"


@pytest.mark.parametrize("question", ["What does PSNR stand for?", "what does psnr stand for?", "What is PSNR short for?"])
def test_an_acronym_the_model_does_not_know_is_answered_with_its_spelling_out(kb: KnowledgeBase, question: str) -> None:
    answer = ask(kb, question)
    assert answer.text is not None and "peak signal-to-noise ratio (PSNR)" in answer.text, answer.reason
    assert "Quantised Widget Bootstrapping" not in answer.text, answer.text  # the spelling out alone
    assert [c.note for c in answer.citations] == ["widgetboot"]


def test_a_compound_expansion_question_still_gets_each_part(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What does QWB stand for, and how does it avoid negative pairs?")
    assert answer.text is not None and "Quantised Widget Bootstrapping (QWB)" in answer.text, answer.reason
    assert "no negative pairs are needed" in answer.text, answer.text


def test_an_acronym_no_note_has_is_still_refused(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What does XYZW stand for?")
    assert answer.refused and answer.reason == "No note covers XYZW.", answer.text


def test_a_list_of_aliases_spells_an_acronym_out() -> None:
    assert lists_expansion("Also known as QZD, Quick Zebra Detector.", "QZD")
    assert not lists_expansion("Also known as QZD, Striped Animals.", "QZD")
    assert not lists_expansion("Also known as Quick Zebra Detector.", "QZD")


def test_an_acronym_only_the_front_matter_spells_out_is_answered_from_the_aliases(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What does QZD stand for?")
    assert answer.text is not None and "Quick Zebra Detector" in answer.text, answer.reason
    assert [c.note for c in answer.citations] == ["quickzebra"]


def test_a_note_s_own_name_it_never_spells_out_is_refused(kb: KnowledgeBase) -> None:
    """"What does SortNet stand for?" of a note that never spells it out: a refusal, not SortNet's other sentences."""
    answer = ask(kb, "What does SortNet stand for?")
    assert answer.refused and answer.reason == "Your note on SortNet doesn't say what SortNet stands for.", answer.text
    assert answer.closest and answer.closest[0].note == "sortnet"


def test_a_name_the_title_spells_out_is_not_refused(tmp_path) -> None:
    """ "GWS" of "Gadget Widget Sorting": the title may be the expansion, so the question is answered as before."""
    gws = (
        "---\ntitle: Gadget Widget Sorting\naliases: [GWS]\n---\n\n# Gadget Widget Sorting\n\n## Summary\n\n"
        "GWS sorts widgets and gadgets into bins with one small convolutional network.\n"
    )
    knowledge = build_notes(tmp_path, {"gws.md": gws})
    assert not ask(knowledge, "What does GWS stand for?").refused


WIDGETS_ONCE = """\
---
title: "Widgets Only Frobnicate Once: Loss-conditional widget training"
---

# Widgets Only Frobnicate Once: Loss-conditional widget training

## Summary

WOFO trains one widget network for every loss weighting at once. WOFO models match fixed-weight widget models.
"""
titled = notes_kb({"wofo.md": WIDGETS_ONCE}, name="titled")


def test_an_acronym_its_title_spells_is_answered_with_the_title(titled: KnowledgeBase) -> None:
    answer = ask(titled, "What does WOFO stand for?")
    assert answer.text == "Widgets Only Frobnicate Once. [1]"
    assert answer.citations[0].note == "wofo"


def test_a_title_holding_the_letters_by_chance_does_not_spell_an_acronym() -> None:
    from indexer.answer.expansion import title_spelling
    from indexer.retrieval import Hit

    class Chunk:
        note_id, ordinal = "n", 0
        title = "Weighted Objectives For Overlapping Objects In Widgets Over Frames"

    assert title_spelling("WOFO", [Hit(Chunk(), 1.0, 1.0, 1.0, False)], "n") is None  # type: ignore[arg-type]
