"""A question typed the way people type it (framing, lower case, no "?") retrieves what the question as written does."""

from __future__ import annotations

import pytest

from indexer.knowledge import KnowledgeBase
from indexer.retrieval import Retriever, as_question


@pytest.fixture(scope="module")
def retriever(content_kb: KnowledgeBase) -> Retriever:
    return content_kb.retriever()


def test_a_question_without_its_mark_gets_it_back() -> None:
    assert as_question("how does DETR match predictions to objects") == "how does DETR match predictions to objects?"
    assert as_question("Which backbone does ViT-B/16 use?") == "Which backbone does ViT-B/16 use?"
    assert as_question("DETR bipartite matching") == "DETR bipartite matching"  # a keyword search stays one
    assert as_question("Show me the results.") == "Show me the results."
    assert as_question("whatever works") == "whatever works"  # "what" only as a whole word


@pytest.mark.parametrize(
    "typed",
    [
        "quick: how does DETR match its predictions to the objects in an image?",
        "Hey, how does DETR match its predictions to the objects in an image? thanks",
        "how does detr match its predictions to the objects in an image",
        "I wonder how does DETR match its predictions to the objects in an image",
    ],
)
def test_typed_variants_find_the_same_passages(retriever: Retriever, typed: str) -> None:
    written = "How does DETR match its predictions to the objects in an image?"
    expected = [(h.chunk.row, round(h.score, 5)) for h in retriever.search(written, k=8)]
    assert [(h.chunk.row, round(h.score, 5)) for h in retriever.search(typed, k=8)] == expected
    assert retriever.search(written, k=1)[0].chunk.note_id == "detr"
