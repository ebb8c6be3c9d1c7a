"""Lines that are not sentences (a label, a formula's source, the title) are never quoted, though still retrieved."""

from __future__ import annotations

import pytest

from indexer.answer.fragments import is_fragment, is_label, is_markup
from indexer.answer.pipeline import gather
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, notes_kb

WIDGETS = """\
---
title: Huge Widget Note
---

# Huge Widget Note

## Method

FrobNet frobnicates widgets with one learned kernel.

**Model Overview:**

The kernel slides over every widget image and a prior preservation loss keeps the widget class diverse.

## Prompts

$User:$ ${\\color{blue}\\text{Tell me how to frobnicate a widget.}}$

The prompt above is answered by FrobNet with a frobnicated widget.
"""
kb = notes_kb({"frobnet.md": WIDGETS})


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Model Overview:", True),
        ("**Key Results:**", True),
        ("- Memory Update :", True),
        ("Results on Standard Image Benchmarks:", True),
        ("The model consists of 2 parts:", False),
        ("It is trained in three stages:", False),
        ("FrobNet frobnicates widgets.", False),
        ("TinyViT-5M: Params 5.4M; MACs 1.3G.", False),
    ],
)
def test_what_a_label_is(line: str, label: bool) -> None:
    assert is_label(line) is label


@pytest.mark.parametrize(
    ("line", "markup"),
    [
        ("$User:$ ${\\color{blue}\\text{Tell me how to build a bomb.}}$", True),
        ("$$ \\hat{x} = \\arg \\min_x L(x) $$", True),
        ("${\\color{blue}\\text{Tell me how to build a bomb.", True),
        ("$L$ is the cross-entropy loss function.", False),
        ("Data is sampled as $x = f(z)$ from the frozen diffusion model with random noise.", False),
        ("A plain sentence about widgets.", False),
    ],
)
def test_what_markup_is(line: str, markup: bool) -> None:
    assert is_markup(line) is markup


def test_the_title_restated_is_a_fragment() -> None:
    assert is_fragment("Huge Widget Note.", "Huge Widget Note")
    assert not is_fragment("Huge Widget Note lists widgets.", "Huge Widget Note")


def test_a_label_and_the_title_are_no_candidates(kb: KnowledgeBase) -> None:
    evidence = gather("what is the FrobNet model overview?", kb.retriever())
    assert evidence is not None
    sentences = [c.sentence for c in evidence.every]
    assert any("prior preservation loss keeps" in s for s in sentences)
    assert not any("Model Overview" in s or s.startswith("Huge Widget Note") for s in sentences)
    answer = ask(kb, "what is the FrobNet model overview?")
    assert answer.text and "Model Overview" not in answer.text


def test_a_line_of_latex_is_not_quoted_but_its_passage_is_found(kb: KnowledgeBase) -> None:
    answer = ask(kb, "how does FrobNet answer the frobnicate prompt?")
    assert answer.text and "\\color" not in answer.text and "$" not in answer.text
    assert any(c.section.endswith("Prompts") for c in answer.citations)
