"""Runners-up add to an answer rather than pad it: from the lead's note, not leaning on a sentence left out; a
sentence setting the paper against another does not lead a question that compares nothing."""

from __future__ import annotations

import pytest

from indexer.answer.candidates import Candidate
from indexer.answer.joining import leans_back
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, notes_kb

FROBNET = """\
# FrobNet: Frobnicating Widgets

## How it works

FrobNet is trained with a contrastive widget loss on pairs of widget photographs.
FrobNet is evaluated on WidgetBench and GadgetSet.

## Limits

Counting widgets and reading widget labels stay hard.
On these two datasets, zero-shot FrobNet is only slightly better than random guessing.

## What's new vs its neighbours

FrobNet vs GadgetNet: GadgetNet regresses widget offsets from anchors, while FrobNet matches widgets one to one, so the loss itself discourages duplicates.

## Results

The best widget model in the table is FrobNet-L with 91.2 widget accuracy.
"""
GADGETNET = """\
# GadgetNet: Gadgets with Anchors

## Results

The best model in the table is GadgetNet-XL, yielding the best widget accuracy among 7B-level models on all aspects.
GadgetNet is trained with an anchor loss on gadget photographs.
"""
kb = notes_kb({"frobnet.md": FROBNET, "gadgetnet.md": GADGETNET})


def _candidate(sentence: str) -> Candidate:
    return Candidate(sentence, 0, 0, sentence, "", sentence, ("FrobNet",))


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("On these two datasets, zero-shot CLIP is only slightly better than random guessing.", True),
        ("These results show that the kernel matters.", True),
        ("Such models overfit.", True),
        ("This paper proposes FrobNet.", False),
        ("This is the first widget model.", False),
        ("FrobNet is evaluated on two datasets.", False),
    ],
)
def test_what_leans_on_the_sentence_before(sentence: str, leans: bool) -> None:
    assert leans_back(_candidate(sentence)) is leans


def test_an_answer_is_not_padded_from_another_note(kb: KnowledgeBase) -> None:
    for question in ("what is the best widget model in the FrobNet table?", "what is the best model in the table?"):
        answer = ask(kb, question)
        assert answer.text and "FrobNet-L" in answer.text
        assert answer.notes == ["frobnet"], answer.text


def test_a_comparison_of_named_papers_reads_both_notes(kb: KnowledgeBase) -> None:
    answer = ask(kb, "how does FrobNet compare with GadgetNet?")
    assert answer.text and set(answer.notes) == {"frobnet", "gadgetnet"}


def test_a_sentence_leaning_on_the_one_before_comes_with_it(kb: KnowledgeBase) -> None:
    answer = ask(kb, "which datasets is FrobNet evaluated on?")
    assert answer.text and "WidgetBench" in answer.text
    if "On these two datasets" in answer.text:
        leaning = answer.text.index("On these two datasets")
        assert answer.text.rfind("stay hard.", 0, leaning) != -1, answer.text


def test_a_side_comparison_does_not_lead_a_question_comparing_nothing(kb: KnowledgeBase) -> None:
    answer = ask(kb, "which loss does FrobNet use?")
    assert answer.text and answer.text.startswith("FrobNet is trained with a contrastive widget loss")
