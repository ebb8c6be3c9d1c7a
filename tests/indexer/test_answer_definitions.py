"""'What is X?' with X a note's own name is answered with the note's defining sentence, whatever its cosine."""

from __future__ import annotations

import pytest

from indexer.answer.definition import asked_name
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, notes_kb

ZEBRAGAN = """\
---
title: 'ZebraGAN: Striping Horses from One Photograph'
---

# ZebraGAN: Striping Horses from One Photograph

Ida Pfeiffer, Jonas Lie, ICCV-2031

## Summary

This paper proposes a way to learn a stripe generator from a *single* photograph of a horse. Unlike earlier work, the generator needs no paired zebra images at all.

## Main Contributions

So basically the noise is added at every level, like we did before in class.
The loss terms can be seen as follows:

## Implementation

- [https://github.com/example/zebragan](https://github.com/example/zebragan)
"""

KETTLE = """\
# Kettle Boiling Prediction

## Method

We measured many kettles in the lab before writing anything down.
KettleNet is a small recurrent network that predicts when a kettle of water will boil from its temperature trace.
"""
kb = notes_kb({"zebragan.md": ZEBRAGAN, "kettlenet.md": KETTLE})


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What is SinGAN?", "SinGAN"),
        ("what's the ZebraGAN paper", "ZebraGAN"),
        ("Tell me about Depth Anything.", "Depth Anything"),
        ("What does BYOL do?", "BYOL"),
        ("What is the learning rate of DETR?", "learning rate of DETR"),
        ("How does DETR work?", None),
    ],
)
def test_what_a_definition_question_asks(question: str, name: str | None) -> None:
    assert asked_name(question) == name


@pytest.mark.parametrize("question", ["What is ZebraGAN?", "what's the zebragan paper?", "Tell me about ZebraGAN"])
def test_what_is_it_is_answered_with_the_summary_opening(kb: KnowledgeBase, question: str) -> None:
    answer = ask(kb, question)
    assert answer.text is not None, answer.reason
    assert answer.text.startswith("This paper proposes a way to learn a stripe generator"), answer.text
    assert "github.com" not in answer.text and "noise is added" not in answer.text
    assert [c.note for c in answer.citations] == ["zebragan"]


def test_without_a_summary_the_sentence_defining_the_name_answers(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What is KettleNet?")
    assert answer.text is not None and answer.text.startswith("KettleNet is a small recurrent network"), answer.text
