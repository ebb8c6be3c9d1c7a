"""Sentence splitting: abbreviations before a capital end no sentence; real ends, blank lines and list items do."""

from __future__ import annotations

import pytest

from indexer.sentences import split_sentences


@pytest.mark.parametrize(
    "abbreviation",
    ["e.g.", "i.e.", "ie.", "eg.", "et al.", "Fig.", "Figs.", "Eq.", "Eqs.", "vs.", "approx.", "resp.", "Sec.", "Tab.", "w.r.t.", "cf.", "Temp.", "No.", "viz."],
)
def test_an_abbreviation_before_a_capital_ends_no_sentence(abbreviation: str) -> None:
    text = f"The gain is measured {abbreviation} Greedy decoding on Widgets. A second sentence follows."
    assert split_sentences(text) == [
        f"The gain is measured {abbreviation} Greedy decoding on Widgets.",
        "A second sentence follows.",
    ]


def test_a_shortened_word_at_the_start_of_a_list_item_stays_with_its_sentence() -> None:
    assert split_sentences("- Temp. Scaling divides the logits by one learned number.") == [
        "- Temp. Scaling divides the logits by one learned number.",
    ]


def test_etc_before_a_capital_ends_the_sentence() -> None:
    assert split_sentences("It handles cats, dogs, etc. Then it counts them.") == ["It handles cats, dogs, etc.", "Then it counts them."]
    assert split_sentences("It handles pets (cats, dogs, etc.). Then it counts them.") == [
        "It handles pets (cats, dogs, etc.).",
        "Then it counts them.",
    ]


def test_a_blank_line_or_a_list_item_ends_a_sentence_after_an_abbreviation() -> None:
    assert split_sentences("As shown by Lovelace et al.\n\nThe next paragraph starts.") == [
        "As shown by Lovelace et al.",
        "The next paragraph starts.",
    ]
    assert split_sentences("Compare with Fig.\n* First item here.") == ["Compare with Fig.", "* First item here."]
    assert split_sentences("As shown by Lovelace et al.\nThe wrapped line goes on.") == ["As shown by Lovelace et al.\nThe wrapped line goes on."]


def test_initials_and_decimals_stay_whole_and_real_ends_split() -> None:
    assert split_sentences("A. Lovelace reports 91.5% top-1. It is 2.3x faster! Why? Because.") == [
        "A. Lovelace reports 91.5% top-1.",
        "It is 2.3x faster!",
        "Why?",
        "Because.",
    ]


def test_words_that_end_sentences_are_not_abbreviations() -> None:
    assert split_sentences("The score is the max. The loss is the min. Both ship in the app. Done.") == [
        "The score is the max.", "The loss is the min.", "Both ship in the app.", "Done.",
    ]
