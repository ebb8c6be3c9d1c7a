"""Comparisons that name two notes quote each of them, each sentence cited to its own note."""

from __future__ import annotations

import pytest

from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, notes_kb

NOTES = {
    "alphanet.md": """\
# AlphaNet: Segmenting Widgets on a Phone

## Summary

AlphaNet segments widgets on a phone by distilling a large image encoder into a tiny convolutional one.
The decoder is kept as it was, so prompts work the same way.

## Results

AlphaNet runs in 9 ms per image on a phone, three times faster than BetaNet.
Its masks reach 38 mIoU on the Widgets benchmark.

## Training

Distillation takes one day on a single GPU with 10% of the widget images.
""",
    "betanet.md": """\
# BetaNet: High-Quality Widget Masks

## Summary

BetaNet adds one learned output token to a frozen segmenter, so that widget masks get sharp boundaries.

## Results

BetaNet reaches 45 mIoU on the Widgets benchmark, the best mask quality of the segmenters compared.
Thin parts such as widget antennas are where its masks improve most.

## Training

Only the new token and a small fusion block are trained, on 40 thousand finely labelled widget masks.
""",
    "gammanet.md": """\
# GammaNet: Counting Widgets

## Summary

GammaNet counts widgets in crowded shelf photographs with a density map regressor.
""",
}
kb = notes_kb(NOTES)


@pytest.mark.parametrize(
    "question",
    [
        "How does AlphaNet compare with BetaNet?",
        "AlphaNet vs BetaNet?",
        "Is BetaNet better than AlphaNet?",
        "How does BetaNet differ from AlphaNet?",
        "Which is faster, AlphaNet or BetaNet?",
    ],
)
def test_each_note_a_comparison_names_gives_its_sentence(kb: KnowledgeBase, question: str) -> None:
    answer = ask(kb, question)
    assert answer.text is not None and answer.kind in ("comparison", "quantity"), answer.reason
    quoted = {c.note for c in answer.citations if c.quote}
    assert quoted == {"alphanet", "betanet"}, answer.text
    assert "45 mIoU" in answer.text and "three times faster than BetaNet" in answer.text, answer.text


def test_a_question_about_one_note_stays_with_it(kb: KnowledgeBase) -> None:
    answer = ask(kb, "How long does AlphaNet's distillation take?")
    assert answer.text is not None and "one day on a single GPU" in answer.text, answer.text
    assert {c.note for c in answer.citations if c.quote} == {"alphanet"}, answer.text
