"""Names in questions: "qwb 2" typed for "QWB 2" is still a name, and an acronym the notes only use in plural is known."""

from __future__ import annotations

import pytest

from indexer.answer.refusing import written_as_name
from indexer.knowledge import KnowledgeBase
from tests.indexer.notes_kit import ask, notes_kb

NOTE = """\
# QWB: Quantised Widget Bootstrapping

## Summary

QWB learns widget features without labels by predicting one augmented view of a widget from another.
Training runs in two steps: step 1 learns the features, step 2 fits a linear probe on them.

## Results

QWB was trained on eight GPUs for three days and reaches 74.3% top-1 accuracy on Widgets-1k.
The code lives at https://example.org/qwb-code and the slides at https://example.org/qwb/slides.
"""
kb = notes_kb({"qwb.md": NOTE})


def test_a_word_the_notes_write_only_with_capitals_is_a_name(kb: KnowledgeBase) -> None:
    retriever = kb.retriever()
    assert written_as_name("qwb", retriever)  # links ("qwb-code", "/qwb/") are not the word in lower case
    assert not written_as_name("step", retriever) and not written_as_name("frobnet", retriever)


@pytest.mark.parametrize("question", ["What GPU was QWB 2 trained on?", "what gpu was qwb 2 trained on?"])  # "GPU": the note says "GPUs"
def test_a_version_no_note_has_is_refused_in_either_case(kb: KnowledgeBase, question: str) -> None:
    answer = ask(kb, question)
    assert answer.refused and answer.reason is not None and answer.reason.lower() == "no note covers qwb 2.", answer.text


def test_an_ordinary_word_before_a_number_is_no_name(kb: KnowledgeBase) -> None:
    answer = ask(kb, "what does step 2 of qwb fit?")
    assert answer.text is not None and "linear probe" in answer.text, answer.reason


def test_an_acronym_the_notes_write_in_plural_is_known(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Which GPU was QWB trained on, and for how long?")
    assert answer.text is not None and "eight GPUs for three days" in answer.text, answer.reason
