"""Conversational framing around a question is removed; the question itself is kept as typed."""

from __future__ import annotations

import pytest

from indexer.framing import strip_framing


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("quick: what does CLIP use as similarity?", "what does CLIP use as similarity?"),
        ("Hey, which distillation worked best for MobileSAM?", "which distillation worked best for MobileSAM?"),
        ("can you tell me what SAMI stands for?", "what SAMI stands for?"),
        ("I wonder how fast MobileSAM is?", "how fast MobileSAM is?"),
        ("Please explain how DETR matches objects", "explain how DETR matches objects"),
        ("what does CLIP use as similarity, in one line?", "what does CLIP use as similarity?"),
        ("what does CLIP use as similarity? thanks", "what does CLIP use as similarity?"),
        ("hey there, quick question: can you tell me who wrote CLIP? thank you", "who wrote CLIP?"),
        ("Which two tasks does FooNet consider? Thanks :)", "Which two tasks does FooNet consider?"),
    ],
)
def test_framing_is_removed(typed: str, asked: str) -> None:
    assert strip_framing(typed) == asked
    assert strip_framing(asked) == asked  # idempotent


@pytest.mark.parametrize(
    "question",
    [
        "How quick is MobileSAM?",  # "quick" asks for a speed here
        "What is the research question?",
        "So how fast is it?",  # "so" marks a follow-up
        "tell me about MobileSAM",  # nothing left to ask without "tell me"
        "What is X? And how fast is it?",  # two questions stay two
        "well-known tricks for training GANs?",
        "thanks",
    ],
)
def test_questions_without_framing_are_kept(question: str) -> None:
    assert strip_framing(question) == question
