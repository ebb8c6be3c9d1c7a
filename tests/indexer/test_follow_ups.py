"""Follow-ups: a pronoun is the previous answer's paper; a question naming another paper starts a topic of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.answer.result import Answer
from indexer.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def detr(content_kb: KnowledgeBase) -> Answer:
    answer = content_kb.ask("who wrote DETR?")
    assert answer.notes == ["detr"]
    return answer


def test_a_pronoun_is_read_as_the_previous_paper(content_kb: KnowledgeBase, detr: Answer) -> None:
    answer = content_kb.ask("how fast is it?", previous=detr)
    assert answer.question == "how fast is it?" and answer.read_as == "how fast is DETR?"
    assert {c.note for c in answer.citations} == {"detr"}
    assert (answer.text or "").startswith("DETR")  # DETR's own row, not the Faster R-CNN baseline's
    assert answer.to_json()["read_as"] == "how fast is DETR?"


def test_what_about_another_paper_asks_the_previous_question_of_it(content_kb: KnowledgeBase, detr: Answer) -> None:
    data = content_kb.ask("what dataset was it trained on?", previous=detr)
    answer = content_kb.ask("and what about SAM?", previous=data)
    assert answer.read_as == "what dataset was SAM trained on?"  # the previous question as read, SAM in DETR's place
    assert answer.notes[0] == "sam" and "SA-1B" in (answer.text or "")
    authors = content_kb.ask("What about MobileSAM?", previous=detr)
    assert authors.read_as == "who wrote MobileSAM?" and "Chaoning Zhang" in (authors.text or "")


def test_a_question_naming_another_paper_leaves_the_previous_one(content_kb: KnowledgeBase, detr: Answer) -> None:
    answer = content_kb.ask("what does SAM's data engine do?", previous=detr)
    assert answer.read_as is None
    assert answer.notes[0] == "sam" and "detr" not in answer.notes


def test_a_comparison_keeps_the_previous_paper_for_its_pronoun(content_kb: KnowledgeBase, detr: Answer) -> None:
    answer = content_kb.ask("how does it compare with Mask2Former?", previous=detr)
    assert answer.read_as == "how does DETR compare with Mask2Former?"


def test_a_question_that_leans_on_nothing_is_read_as_typed(content_kb: KnowledgeBase, detr: Answer) -> None:
    answer = content_kb.ask("What is HQ-SAM's extra token for?", previous=detr)
    assert answer.read_as is None and answer.notes[0] == "hq-sam"


def test_a_family_name_asks_for_its_own_note_s_details(content_kb: KnowledgeBase) -> None:
    """"SAM" ranks no note first (MobileSAM, HQ-SAM … build on it), but a paper's authors are those of the note it names."""
    answer = content_kb.ask("who wrote SAM?")
    assert "Kirillov" in (answer.text or "") and "Lei Ke" not in (answer.text or "")


def test_cli_follow_ups_say_how_they_were_read(content_kb: KnowledgeBase) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "ask", "-", "--follow-up", "--json", "--notes", str(content_kb.root)],
        input="who wrote DETR?\nhow fast is it?\nand what about SAM?\n",  # SAM's note gives no speed: others' passages may
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert [a.get("read_as") for a in answers] == [None, "how fast is DETR?", "how fast is SAM?"]
    assert "sam" in [c["note"] for c in answers[2]["citations"]] and "detr" not in [c["note"] for c in answers[2]["citations"]]


def test_asked_of_one_note_the_pronoun_is_that_note(content_kb: KnowledgeBase, detr: Answer) -> None:
    """With "only this note" on MobileSAM, "it" is MobileSAM, although the previous answer was DETR's."""
    answer = content_kb.ask("how fast is it?", scope=["mobilesam"], previous=detr)
    assert answer.read_as == "how fast is MobileSAM?" and not answer.refused
    assert {c.note for c in answer.citations} == {"mobilesam"} and answer.outside_scope == []
    alone = content_kb.ask("How many parameters does its image encoder have?", scope=["mobilesam"])
    assert alone.read_as == "How many parameters does MobileSAM's image encoder have?"


def test_a_bare_name_asks_the_previous_question_of_it(content_kb: KnowledgeBase, detr: Answer) -> None:
    assert content_kb.ask("and MobileSAM?", previous=detr).read_as == "who wrote MobileSAM?"


def test_with_nothing_asked_before_this_paper_is_the_note_being_read(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("who wrote this paper?", open_note="detr")
    assert answer.read_as == "who wrote DETR?" and "Carion" in (answer.text or "")
    assert content_kb.ask("who wrote it?", open_note="detr").notes == ["detr"]


@pytest.fixture(scope="module")
def dreambooth(papers_we_read_kb: KnowledgeBase) -> Answer:
    answer = papers_we_read_kb.ask("what is the prior preservation loss in DreamBooth")
    assert answer.notes[0] == "summaries/DreamBooth"
    return answer


def test_a_question_whose_subject_is_implied_is_read_with_the_previous_paper(
    papers_we_read_kb: KnowledgeBase, dreambooth: Answer
) -> None:
    """No "and", no pronoun: nothing answers "how many images are needed" alone, DreamBooth's note does (it was refused)."""
    assert papers_we_read_kb.ask("how many images are needed").refused
    for typed in ("how many images are needed", "and how many images are needed"):
        answer = papers_we_read_kb.ask(typed, previous=dreambooth)
        assert answer.read_as == "how many images are needed in DreamBooth?"
        assert answer.notes[0] == "summaries/DreamBooth" and "3-5" in (answer.text or "")


def test_with_nothing_asked_before_an_implied_subject_is_the_note_being_read(papers_we_read_kb: KnowledgeBase) -> None:
    answer = papers_we_read_kb.ask("and how many images are needed", open_note="summaries/DreamBooth")
    assert answer.read_as == "how many images are needed in DreamBooth?" and "3-5" in (answer.text or "")


def test_a_follow_up_is_read_with_the_name_the_conversation_uses(papers_we_read_kb: KnowledgeBase) -> None:
    """style_GAN.md's paper is "StyleGAN" as the previous question wrote it, not its long title; the "and" is dropped."""
    loss = papers_we_read_kb.ask("which loss does StyleGAN use")
    answer = papers_we_read_kb.ask("and what dataset did they introduce?", previous=loss)
    assert answer.read_as == "what dataset did StyleGAN introduce?"
    assert "FFHQ" in (answer.text or "")  # as asked alone


@pytest.mark.parametrize("kb_name, questions", [("content_kb", "questions.jsonl"), ("papers_we_read_kb", "papers_we_read.jsonl")])
def test_a_question_asked_after_an_unrelated_one_is_answered_as_alone(
    request: pytest.FixtureRequest, kb_name: str, questions: str
) -> None:
    """Every question of an evaluation set asked right after the set's previous question about another note: the same
    answer (or refusal) as asked alone. A follow-up reading must never pull a standalone question onto the last paper."""
    kb: KnowledgeBase = request.getfixturevalue(kb_name)
    rows = [json.loads(line) for line in (Path(__file__).parent.parent / "eval" / questions).read_text().splitlines() if line]
    previous: Answer | None = None
    changed = []
    for row in rows:
        alone = kb.ask(row["question"])
        if previous is not None and previous.notes[:1] != [row.get("note")]:
            after = kb.ask(row["question"], previous=previous)
            if (after.text, after.reason, after.read_as) != (alone.text, alone.reason, None):
                changed.append(row["id"])
        previous = alone if not alone.refused else previous
    assert changed == []
