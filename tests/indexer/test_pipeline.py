"""End to end: index a copy of content/ with the real model, ask MobileSAM questions, decline the unknown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.knowledge import KnowledgeBase

MOBILESAM_QUESTIONS = [
    ("which distillation worked best for MobileSAM?", ["decoupled"]),
    ("How many parameters does MobileSAM's image encoder have?", ["5.78"]),
    ("How long does the lightweight SAM take per image?", ["12 ms"]),
    ("How much smaller than the original SAM is MobileSAM?", ["60"]),
    ("What mIoU did decoupled distillation get compared with coupled in MobileSAM?", ["0.75"]),
    ("How does MobileSAM compare with FastSAM in speed?", ["FastSAM"]),
    ("Where is the MobileSAM code on GitHub?", ["github.com/ChaoningZhang/MobileSAM"]),
    ("What is the arXiv id of the MobileSAM paper?", ["2306.14289"]),
    ("Why is semi-coupled distillation called semi-coupled in MobileSAM?", ["mask decoder"]),
    ("Which encoder architecture does MobileSAM use for its small image encoder?", ["TinyViT"]),
    ("How many GPUs did it take to train MobileSAM?", ["GPU"]),
]


@pytest.mark.parametrize(("question", "keys"), MOBILESAM_QUESTIONS)
def test_mobilesam_questions_cite_the_mobilesam_note(content_kb: KnowledgeBase, question: str, keys: list[str]) -> None:
    answer = content_kb.ask(question)
    assert not answer.refused, question
    assert answer.citations[0].note == "mobilesam"
    for key in keys:
        assert key.lower() in (answer.text or "").lower()
    cited = answer.citations[0]
    lines = (content_kb.root / cited.path).read_text().splitlines()
    assert 1 <= cited.lines[0] <= cited.lines[1] <= len(lines)


@pytest.mark.parametrize(
    "question",
    ["What learning rate did the Swin Transformer authors use?", "How many parameters does Grounding DINO have?"],
)
def test_questions_outside_the_notes_are_declined(content_kb: KnowledgeBase, question: str) -> None:
    answer = content_kb.ask(question)
    assert answer.refused
    assert answer.closest


def test_follow_up_uses_the_previous_note(content_kb: KnowledgeBase) -> None:
    first = content_kb.ask("What is HQ-SAM's extra token for?")
    assert first.citations[0].note == "hq-sam"
    follow = content_kb.ask("how long does it take to train?", previous=first)
    assert follow.citations[0].note == "hq-sam"


def test_scoped_ask_stays_in_the_note(content_kb: KnowledgeBase) -> None:
    answer = content_kb.ask("How many parameters does the encoder have?", scope=["tinyvit"])
    assert {c.note for c in answer.citations} <= {"tinyvit"}


def test_cli_ask_json_and_stdin(content_kb: KnowledgeBase) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "ask", "-", "--json", "--notes", str(content_kb.root)],
        input="which distillation worked best for MobileSAM?\nWhat GPU was SAM 2 trained on?\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    first, second = (json.loads(line) for line in run.stdout.splitlines())
    assert first["citations"][0]["note"] == "mobilesam"
    assert first["citations"][0]["path"] == "mobilesam.md"
    assert set(first["citations"][0]) >= {"note", "title", "section", "path", "lines", "score"}
    assert second["answer"] is None


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "list", "--notes", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("papernotes: notes folder not found")
