"""Which sentences introduce a method by name: the sentence a name answer leads with."""

from __future__ import annotations

import pytest

from indexer.answer.naming import is_naming_sentence

NAMES = ("MobileSAM", "FooNet")


@pytest.mark.parametrize(
    "sentence",
    [
        "FooNet is a linear model that predicts masks.",
        "- MobileSAM is a distilled SAM with a small image encoder.",
        "The paper proposes FooNet, a linear model.",
        "Results are strong. FooNet (the authors' model) is an encoder-only design.",
        "They designed FooNet for phones.",
    ],
)
def test_a_sentence_defining_or_proposing_the_name_introduces_it(sentence: str) -> None:
    assert is_naming_sentence(sentence, NAMES)


@pytest.mark.parametrize(
    "sentence",
    [
        # the copula says something about the name in passing, not what it is
        "- MobileSAM versus EfficientSAM: both use a small ViT, while MobileSAM is a one-GPU, one-day distillation.",
        # "design" as a noun, not the authors designing something
        "MobileSAM versus FastSAM: FastSAM drops SAM's design for a CNN, while MobileSAM keeps promptable segmentation.",
        "MobileSAM keeps the design of the mask decoder unchanged.",
    ],
)
def test_a_name_mentioned_in_passing_is_no_introduction(sentence: str) -> None:
    assert not is_naming_sentence(sentence, NAMES)
