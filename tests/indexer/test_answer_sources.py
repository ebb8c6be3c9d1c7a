"""Answers quote what the notes say, not where they point: link lines only for link questions, authors from the byline."""

from __future__ import annotations

import pytest

from indexer.answer.links import is_link_line
from indexer.answer.metadata import _looks_like_authors
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, build_notes, notes_kb

WIDGETS = """\
# Frobnicating Widgets with Learned Kernels

Ada Lovelace, et al. , ICML 2031

## Summary

FrobNet frobnicates widgets by sliding one learned kernel over every widget image.
The kernel is trained with a contrastive loss on pairs of widget photographs.

## Resources

- [How FrobNet frobnicates widgets with learned kernels (Blog)](https://example.org/frobnet-blog)
- https://example.org/frobnet-frobnicates-widgets
- Other write-ups and blogs : https://example.org/widgets-one https://example.org/widgets-two
- Code: https://github.com/example/frobnet
"""

GADGETS = """\
---
title: Gadget Segmentation at Scale
authors: [Grace Hopper, Alan Turing]
year: 2030
---

# Gadget Segmentation at Scale

## Summary

GadgetSeg segments gadgets in street photographs with a mask decoder over a frozen image encoder.
"""
kb = notes_kb({"frobnet.md": WIDGETS, "gadgetseg.md": GADGETS})


@pytest.mark.parametrize(
    ("sentence", "link"),
    [
        ("- https://github.com/example/frobnet", True),
        ("Code: https://github.com/example/frobnet", True),
        ("- Paper :- https://arxiv.org/abs/2101.00001", True),
        ("Other write-ups and blogs : https://example.org/a https://example.org/b", True),
        ("We train on https://example.org/data with a frozen encoder.", False),
        ("- Source: a thread by @someone on 24 December 2030: https://example.org/thread", False),
        ("FrobNet frobnicates widgets with one kernel.", False),
    ],
)
def test_what_a_link_line_is(sentence: str, link: bool) -> None:
    assert is_link_line(sentence) is link


@pytest.mark.parametrize(
    "question",
    ["How are widgets frobnicated with learned kernels?", "What does FrobNet do?", "Tell me about FrobNet frobnicating widgets"],
)
def test_a_link_line_is_no_answer_to_a_question_about_the_method(kb: KnowledgeBase, question: str) -> None:
    answer = ask(kb, question)
    assert answer.text is not None and "sliding one learned kernel" in answer.text, answer.text
    for link in ("example.org", "github.com", "(Blog)", "write-ups"):
        assert link not in answer.text, answer.text


def test_a_question_asking_for_a_link_still_gets_one(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Where can I find the code of FrobNet?")
    assert answer.text is not None and "https://github.com/example/frobnet" in answer.text, answer.text


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Manzil Zaheer, et al. , NeurIPS 2020", True),
        ("Ada Lovelace et al., ICML 2031", True),
        ("Cihang Xie, Laurens van der Maaten, Alan Yuille, CVPR-2019", True),
        ("Yue Zhao, Ishan Misra, Rohit Girdhar, Facebook AI Research, University of Texas, Austin", True),
        ("Fast, Accurate, Simple", False),
        ("We thank Ada Lovelace and Alan Turing for the widgets.", False),
    ],
)
def test_what_a_byline_is(line: str, byline: bool) -> None:
    assert _looks_like_authors(line) is byline


def test_who_wrote_it_is_answered_with_the_byline(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Who wrote the FrobNet paper?")
    assert answer.kind == "metadata" and answer.text is not None and answer.text.startswith("Ada Lovelace, et al."), answer.text
    assert [c.note for c in answer.citations] == ["frobnet"]


def test_who_wrote_it_is_answered_with_the_front_matter_authors(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Who are the authors of Gadget Segmentation at Scale?")
    assert answer.text is not None and "Grace Hopper, Alan Turing" in answer.text, answer.text
    assert [c.note for c in answer.citations] == ["gadgetseg"]


BAD_AUTHORS = """\
---
title: Sprocket Counting
authors: 5
---

# Sprocket Counting

The authors count sprockets on conveyor belts with a tiny detector.
"""


def test_front_matter_that_was_ignored_is_never_quoted(tmp_path) -> None:
    """`authors: 5` is ignored with a warning: an answer never quotes it, and every quote is text of the passage it cites."""
    knowledge = build_notes(tmp_path, {"frobnet.md": WIDGETS, "sprockets.md": BAD_AUTHORS})
    for question in ("Who wrote the Sprocket Counting paper?", "who wrote sprockt counting?"):
        answer = ask(knowledge, question)
        assert "authors: 5" not in (answer.text or ""), answer.text
        for citation in answer.citations:
            assert citation.quote.rstrip(".") in citation.passage, (citation.quote, citation.passage)


def test_the_title_restated_is_never_an_answer_sentence(kb: KnowledgeBase) -> None:
    """The About passage opens with the note's title: a label, not something the note says about the paper."""
    answer = ask(kb, "How does Gadget Segmentation at Scale segment gadgets?")
    assert answer.text is not None and "Gadget Segmentation at Scale." not in answer.text, answer.text
    assert answer.text.startswith("GadgetSeg segments gadgets"), answer.text


MATCHER = """\
---
title: Matching Widgets to Bins
aliases: [BinMatch, BinMatch backbone]
tags: [bipartite-matching, set-prediction, widgets]
---

# Matching Widgets to Bins

## The idea

BinMatch predicts a fixed set of bins, and a bipartite matching pairs each widget with exactly one predicted bin.

## How it works

The backbone is a small convolutional network shared by every bin query.
"""


@pytest.mark.parametrize(
    ("question", "expected"),
    [("What is bipartite matching used for?", "a bipartite matching pairs each widget"), ("What backbone does BinMatch use?", "The backbone is")],
)
def test_the_about_labels_answer_only_metadata_questions(tmp_path, question: str, expected: str) -> None:
    """"Tags: ..." and "Also known as ..." say what the note is filed under, not what the paper does."""
    knowledge = build_notes(tmp_path, {"binmatch.md": MATCHER})
    answer = ask(knowledge, question)
    assert answer.text is not None and expected in answer.text, answer.text
    assert "Tags:" not in answer.text and "Also known as" not in answer.text, answer.text


STEPPER = """\
# Stepper Networks

## Section 3

The stepper network updates its state once per frame with a learned gate. For details, see [the paper](https://example.org/stepper).

```python
def step(x):
    return gate(x) * x
```
"""


def test_code_lines_and_link_stubs_are_never_answer_sentences(tmp_path) -> None:
    """A fenced code block's lines and "see the paper" stubs are not what the note says about the paper."""
    knowledge = build_notes(tmp_path, {"stepper.md": STEPPER})
    for question in ("What does the step function of the stepper network compute?", "What details does the stepper paper give?"):
        answer = ask(knowledge, question)
        text = answer.text or ""
        assert "def step" not in text and "return gate" not in text and "see the paper" not in text, text
    assert is_link_line("For details, see the paper.") and is_link_line("Check it out here")
    assert not is_link_line("See how the gate beats a plain recurrent update by three points on every benchmark.")


MONITOR = """\
# Watching the Watchers

Ada Lovelace, Alan Turing, ICML 2031

## Summary

WatchNet audits the answers of a large untrusted model, GPT-9, with a small trusted one.
"""


def test_who_wrote_a_paper_a_note_only_mentions_is_refused(tmp_path) -> None:
    """"Who wrote GPT-9?" where a note only uses GPT-9: that note's byline is not GPT-9's authors."""
    style_gan = (
        "# A Style-Based Widget Generator\n\nGrace Hopper, et al., CVPR 2031\n\n## Summary\n\n"
        "The generator, later called StyleGAN, maps a latent code to per-layer widget styles.\n"
    )
    knowledge = build_notes(tmp_path, {"watchnet.md": MONITOR, "style_GAN.md": style_gan})
    mentioned = ask(knowledge, "Who wrote GPT-9?")
    assert mentioned.refused and mentioned.reason == "No note is about GPT-9; your notes only mention it.", mentioned.text
    own = ask(knowledge, "Who wrote WatchNet?")
    assert own.text is not None and own.text.startswith("Ada Lovelace, Alan Turing"), own.reason
    stem = ask(knowledge, "who wrote StyleGAN?")  # how style_GAN.md is said
    assert stem.text is not None and stem.text.startswith("Grace Hopper, et al."), stem.reason
