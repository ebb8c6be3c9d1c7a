"""A question asked of one note (`ask --note`, "only this note") that names another note of the library."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from indexer.answer.result import Answer
from indexer.cli_ask import print_answer
from indexer.knowledge import KnowledgeBase


def test_a_paper_named_instead_of_the_scoped_note_is_refused_and_pointed_at(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("who wrote the DETR paper?", scope=["mobilesam"])
    assert answer.refused
    assert answer.reason == "Your note on MobileSAM is not about DETR."
    assert [(n.id, n.name, n.path) for n in answer.outside_scope] == [("detr", "DETR", "detr.md")]
    assert answer.closest and {c.note for c in answer.closest} == {"detr"}  # where the answer may be
    assert "Zhang" not in json.dumps(answer.to_json())  # never MobileSAM's authors
    assert answer.to_json()["outside_scope"][0]["id"] == "detr"


def test_a_detail_of_another_paper_is_not_called_missing_from_the_notes(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("what is the learning rate of DETR?", scope=["mobilesam"])
    assert answer.refused and answer.reason == "Your note on MobileSAM is not about DETR."
    out = io.StringIO()
    print_answer(answer, show_sources=False, out=out)
    text = out.getvalue()
    assert text.startswith("Not in this note: Your note on MobileSAM is not about DETR.")
    assert "Your note on DETR is detr.md: ask without --note to use it." in text
    assert "Not in your notes" not in text


def test_the_name_as_the_question_writes_it(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("what GPU was used to train YOLO9000?", scope=["mobilesam"])
    assert answer.refused and answer.reason == "Your note on MobileSAM is not about YOLO9000."  # not its short name YOLOv2


def test_a_family_name_names_its_own_note_here(content_kb: KnowledgeBase) -> None:
    """"SAM" singles out no note for ranking (MobileSAM, HQ-SAM … build on it), but it is the SAM note's own name."""
    answer = content_kb.ask("who wrote SAM?", scope=["mobilesam"])
    assert answer.refused and [n.id for n in answer.outside_scope] == ["sam"]


def test_what_the_scoped_note_says_about_the_other_paper_is_answered(content_kb: KnowledgeBase) -> None:
    """MobileSAM's note compares itself with SAM: a question about SAM's cost is answered from it, and says where SAM's note is."""
    answer = content_kb.ask("How much compute did it take to retrain SAM with a ViT-L encoder?", scope=["mobilesam"])
    assert not answer.refused
    assert {c.note for c in answer.citations} == {"mobilesam"}
    assert "128 GPUs" in (answer.text or "")
    assert [n.id for n in answer.outside_scope] == ["sam"]


def test_naming_the_scoped_note_too_is_a_question_about_it(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("How does MobileSAM compare with SAM in size?", scope=["mobilesam"])
    assert not answer.refused and answer.outside_scope == []
    assert {c.note for c in answer.citations} == {"mobilesam"}


def test_a_refusal_inside_the_scope_names_the_scoped_note(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("what is the learning rate?", scope=["mobilesam"])
    assert answer.refused and answer.reason == "Your note on MobileSAM doesn't give the learning rate."


def test_unscoped_questions_point_nowhere(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("who wrote the DETR paper?")
    assert not answer.refused and "Carion" in (answer.text or "") and answer.outside_scope == []
    assert "outside_scope" not in answer.to_json()


def test_cli_ask_note_json_says_which_note_the_question_names(content_kb: KnowledgeBase) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "ask", "--note", "mobilesam", "--json", "--notes", str(content_kb.root),
         "who wrote the DETR paper?"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["answer"] is None and data["refusal"] == "Your note on MobileSAM is not about DETR."
    assert data["outside_scope"] == [
        {"id": "detr", "name": "DETR", "title": "End-to-End Object Detection with Transformers", "path": "detr.md"}
    ]


def test_answers_without_outside_notes_print_as_before() -> None:
    out = io.StringIO()
    print_answer(Answer("q?", None, []), show_sources=False, out=out)
    assert out.getvalue() == "Not in your notes: nothing there answers 'q?'.\n"
