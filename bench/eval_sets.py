"""The two evaluation sets benchmarks score on: content/ with its questions, papers_we_read with its own."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from indexer.evaluation import Question, load_questions
from indexer.knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent
CONTENT_QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"
PAPERS_WE_READ_QUESTIONS = REPO / "tests" / "eval" / "papers_we_read.jsonl"


def papers_we_read_dir() -> Path:
    """`$PAPERNOTES_SHARED_CORPORA/papers_we_read`, else `<clone>/../shared/corpora/papers_we_read`."""
    shared = os.environ.get("PAPERNOTES_SHARED_CORPORA") or REPO.parent / "shared" / "corpora"
    return Path(shared) / "papers_we_read"


@dataclass
class EvalSet:
    """A notes folder, indexed, and the questions asked of it."""

    name: str
    kb: KnowledgeBase
    questions: list[Question]


def eval_sets(collection: Path | None = None) -> list[EvalSet]:
    """content/ (indexed where it is, as `papernotes eval` does) and papers_we_read (imported into the cache)."""
    from indexer.eval_collection import import_collection

    source = collection or papers_we_read_dir()
    if not source.is_dir():
        raise SystemExit(f"papers_we_read not found at {source}: set PAPERNOTES_SHARED_CORPORA or pass --collection")
    sets = [
        EvalSet("content/", KnowledgeBase(REPO / "content"), load_questions(CONTENT_QUESTIONS)),
        EvalSet("papers_we_read", KnowledgeBase(import_collection(source)), load_questions(PAPERS_WE_READ_QUESTIONS)),
    ]
    for found in sets:
        if not found.kb.status().up_to_date:
            found.kb.build()
    return sets
