"""Answers by question type, sentence choice with context, and refusals that say what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.answer.features import spells_out_acronym
from indexer.answer.questions import classify, question_parts
from indexer.answer.refusing import name_forms, person_names
from indexer.knowledge import KnowledgeBase
from indexer.quotes import clean_sentence, quotes_of
from tests.indexer.notes_kit import ask, build_notes, notes_kb

FOONET = """\
# FooNet: Fast Object Networks

Ada Lovelace, Alan Turing, Grace Hopper, CVPR 2021

## Summary

The paper proposes FooNet, a linear model that detects objects in a single pass over the image.
They measure how close two region embeddings are with cosine similarity, which serves as the similarity metric.

## Method

Two tasks are considered:
- object detection on street scenes
- instance segmentation of pedestrians

## Results

FooNet runs at 120 FPS on a single V100 GPU.
Its box AP on COCO is 38.5, two points below much slower detectors.

## Resources

* [Research Paper](https://arxiv.org/abs/2101.00001)
* Code: https://github.com/example/foonet
"""

CLIPPING = """\
---
title: Gradient clipping for recurrent networks
---

# Gradient clipping for recurrent networks

## Idea

Clipping the gradient norm keeps recurrent networks from diverging when gradients explode.
The note compares clipping by value with clipping by norm on language models.
"""

EMBEDDINGS = """\
---
title: Normalised sentence embeddings
aliases: [NormEmb]
---

# Normalised sentence embeddings

## Idea

Sentence vectors are l2 normalized before the dot product, so the score is a cosine.
Without normalization long sentences dominate the nearest neighbours.
"""
kb = notes_kb({"foonet.md": FOONET, "clipping.md": CLIPPING, "embeddings.md": EMBEDDINGS})


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which method detects objects with a linear model in one pass?", "name"),
        ("Who wrote the FooNet paper?", "metadata"),
        ("What is the arXiv number of the MobileSAM paper?", "metadata"),
        ("Where can I find the code for FooNet?", "metadata"),
        ("How many parameters does FooNet have?", "quantity"),
        ("What PSNR does FFA-Net reach?", "quantity"),
        ("Which two tasks are considered in FooNet?", "list"),
        ("Is FooNet better than Faster R-CNN on small objects?", "comparison"),
        ("How does FooNet avoid region proposals?", "explanation"),
        ("Why doesn't a more accurate teacher give a better student?", "explanation"),
    ],
)
def test_question_types(question: str, kind: str) -> None:
    assert classify(question).kind == kind


def test_name_forms_cover_plurals_hyphens_and_spelling() -> None:
    forms = name_forms("l2-normalised")
    assert {"l2 normalised", "l2normalised", "l2-normalized", "l2 normalized"} <= set(forms)
    assert "ViT" in name_forms("ViTs") and "MobileSAM" in name_forms("MobileSAMs")
    assert person_names("In Smith and Lee's paper, what does FooNet do?") == {"Smith", "Lee"}
    assert "OpenAI" in person_names("What does OpenAI's contrastive model reach?")


def test_links_keep_no_glued_period_and_table_rows_read_as_sentences() -> None:
    assert clean_sentence("- Code: https://github.com/example/foonet") == "Code: https://github.com/example/foonet"
    assert clean_sentence("FooNet is fast") == "FooNet is fast."
    quotes = quotes_of("Model | Params | FPS\nFooNet-S | 5M | 120\nFooNet-L | 50M | 40", "Results")
    assert [q.sentence for q in quotes] == ["FooNet-S: Params 5M; FPS 120", "FooNet-L: Params 50M; FPS 40"]


def test_a_name_question_leads_with_the_method_name(kb: KnowledgeBase) -> None:
    answer = ask(kb, "Which approach finds objects with a linear model looking at the picture only once?")
    assert answer.text is not None and answer.kind == "name"
    assert answer.text.startswith("The paper proposes FooNet"), answer.text


def test_metadata_comes_from_the_note_lines_with_links_written_out(kb: KnowledgeBase) -> None:
    authors = ask(kb, "Who wrote the FooNet paper?")
    assert authors.text is not None and "Ada Lovelace" in authors.text and authors.citations[0].path == "foonet.md"
    arxiv = ask(kb, "What is the arXiv id of the FooNet paper?")
    assert arxiv.text is not None and "2101.00001" in arxiv.text, arxiv.text
    code = ask(kb, "Where is the code for FooNet?")
    assert code.text is not None and "https://github.com/example/foonet [" in code.text, code.text
    venue = ask(kb, "At which conference was FooNet published?")
    assert venue.text is not None and "CVPR 2021" in venue.text


def test_lists_quantities_and_resolved_subjects(kb: KnowledgeBase) -> None:
    tasks = ask(kb, "Which two tasks does FooNet consider?")
    assert tasks.text is not None and "object detection" in tasks.text and "instance segmentation" in tasks.text, tasks.text
    speed = ask(kb, "How fast does FooNet run?")
    assert speed.text is not None and "120 FPS" in speed.text
    similarity = ask(kb, "What similarity function does FooNet use?")
    assert similarity.text is not None and "cosine similarity" in similarity.text


def test_person_names_and_spelling_variants_do_not_cause_refusals(kb: KnowledgeBase) -> None:
    people = ask(kb, "In Smith and Lee's paper, how fast does FooNet run?")
    assert people.text is not None and "120 FPS" in people.text, people.reason
    spelled = ask(kb, "Why are the sentence vectors l2-normalised?")
    assert spelled.text is not None, spelled.reason


def test_refusals_say_what_is_missing(kb: KnowledgeBase) -> None:
    accuracy = ask(kb, "What top-1 accuracy does FooNet reach?")
    assert accuracy.refused and accuracy.reason == "Your note on FooNet doesn't give a top-1 accuracy."
    assert accuracy.closest and accuracy.closest[0].note == "foonet"
    unknown = ask(kb, "What does YOLOv8 do?")
    assert unknown.refused and unknown.reason == "No note covers YOLOv8."
    acronym = ask(kb, "How does CLIP align images with captions?")  # the notes only say "clipping"
    assert acronym.refused and acronym.reason == "No note covers CLIP."
    off_topic = ask(kb, "What is the boiling point of mercury?")
    assert off_topic.refused


def test_refusal_reason_reaches_json(kb: KnowledgeBase) -> None:
    data = ask(kb, "What does YOLOv8 do?").to_json()
    assert data["answer"] is None and data["refusal"] == "No note covers YOLOv8."
    assert Path(data["citations"][0]["path"]).suffix == ".md"


def test_conversational_framing_changes_nothing(kb: KnowledgeBase) -> None:
    plain = ask(kb, "What similarity function does FooNet use?")
    assert plain.text is not None and "cosine similarity" in plain.text
    for typed in ("quick: what similarity function does FooNet use?", "Hey, can you tell me what similarity function FooNet uses? thanks"):
        framed = ask(kb, typed)
        assert framed.text is not None and framed.text.split(" [")[0] == plain.text.split(" [")[0], (typed, framed.text, framed.reason)


def test_a_comparison_leads_with_how_it_came_out(content_kb: KnowledgeBase) -> None:
    # mobilesam.md discusses another paper's "decoupled distillation" (a side remark) before its result
    for typed in ("Which distillation worked best for MobileSAM?", "which kind of distillation works best for mobilesam"):
        answer = ask(content_kb, typed)
        assert answer.text is not None, answer.reason
        lead = answer.citations[0].quote.split(". ")[0]
        assert "better mean IoU" in lead and "tweet" not in lead, answer.text


def test_each_part_of_a_compound_question_is_answered(kb: KnowledgeBase) -> None:
    answer = ask(kb, "What similarity function does FooNet use, and how fast does it run?")
    assert answer.text is not None and "cosine similarity" in answer.text and "120 FPS" in answer.text, answer.text
    assert question_parts("What does SAMI stand for, and what is its reconstruction target?") == (
        "What does SAMI stand for",
        "what is its reconstruction target?",
    )
    assert question_parts("Which detector tells fakes by how well a model can reconstruct them?") == (
        "Which detector tells fakes by how well a model can reconstruct them?",
    )


def test_acronyms_spelled_out_in_lower_case_words() -> None:
    assert spells_out_acronym("The key ingredient is SAMI (SAM-leveraged masked image pretraining): a masked autoencoder.")
    assert spells_out_acronym("Contrastive Language–Image Pre-training (CLIP) learns from captions.")
    assert not spells_out_acronym("The model (SAM) works on COCO (MS) data with ViT-H (huge) features.")


def test_names_are_checked_in_questions_typed_without_capitals(kb: KnowledgeBase) -> None:
    unknown = ask(kb, "how does mamba decide which regions foonet keeps?")
    assert unknown.refused and unknown.reason == "No note covers mamba.", unknown.text
    known = ask(kb, "how fast does foonet run on a gpu?")  # "foonet" is in the notes, "gpu" is a word
    assert known.text is not None and "120 FPS" in known.text, known.reason


def test_a_demo_question_is_answered_with_the_demo_link(tmp_path: Path) -> None:
    barnet = (
        "# BarNet: a small segmenter\n\n## Try it\n\nThe BarNet demo takes about 3 seconds per image on a laptop CPU.\n"
        "It runs in the browser too.\n\n- Online demo: https://example.org/barnet-demo\n"
    )
    kb = build_notes(tmp_path, {"barnet.md": barnet})
    answer = ask(kb, "Where can I try an online demo of BarNet?")
    assert answer.text is not None and "https://example.org/barnet-demo" in answer.text, answer.text


def test_a_name_answer_finds_the_name_when_the_title_is_not_it(tmp_path: Path) -> None:
    local = (
        "# Putting Gradients Aside: Local Learning of Representations\n\n## Summary\n\n"
        "The paper trains each module of a deep network on its own, with a greedy contrastive objective per module.\n"
        "No gradient flows between the modules, so each one can be trained on a different device.\n\n"
        "## Method\n\nFollowing this idea, the authors suggest Greedy InfoMax.\nThe modules are trained one after another.\n"
    )
    kb = build_notes(tmp_path, {"local.md": local})
    answer = ask(kb, "Which technique trains each module of a network on its own with a greedy contrastive objective?")
    assert answer.text is not None and answer.kind == "name" and "Greedy InfoMax" in answer.text, answer.text


def test_hardware_the_note_never_names_is_refused_and_named_hardware_leads(kb: KnowledgeBase) -> None:
    """ "What GPU was X trained on?" of a note naming no GPU, TPU or device is a refusal, not its best figure."""
    missing = ask(kb, "What GPU was NormEmb trained on?")
    assert missing.refused and missing.reason == "Your note on NormEmb doesn't give the hardware.", missing.text
    given = ask(kb, "Which GPU does FooNet run on?")
    assert given.text is not None and given.text.startswith("FooNet runs at 120 FPS on a single V100 GPU."), given.text
