"""Naming a note in a question: whole-word, longest-first matches of unambiguous titles and aliases."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.knowledge import KnowledgeBase
from indexer.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever(content_kb: KnowledgeBase) -> Retriever:
    return content_kb.retriever()


def reference(retriever: Retriever, query: str) -> list[str]:
    """The definition: one alternation of all names, longest first, bounded by non-word characters."""
    names = sorted(retriever._name_ids, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    found: list[str] = []
    for match in pattern.finditer(query.lower()):
        note_id = retriever._name_ids[match.group(1)]
        if note_id not in found:
            found.append(note_id)
    return found


def test_questions_name_their_notes(retriever: Retriever) -> None:
    assert retriever.named_notes("How fast is MobileSAM compared with EfficientSAM?") == ["mobilesam", "efficientsam"]
    assert retriever.named_notes("What is mobilesam-like distillation?") == []  # part of a longer word
    assert retriever.named_notes("What does SAM do?") == []  # ambiguous: MobileSAM, HQ-SAM, ...


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_matching_agrees_with_the_definition(retriever: Retriever, data: st.DataObject) -> None:
    names = sorted(retriever._name_ids)
    pieces = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(names),
                st.sampled_from(names).map(lambda n: n[: max(1, len(n) // 2)]),
                st.sampled_from(["-", " ", "_", "x", "?", "(", "s", "2", "é", "  ", ", "]),
            ),
            max_size=8,
        )
    )
    query = "".join(pieces).upper() if data.draw(st.booleans()) else "".join(pieces)
    assert retriever.named_notes(query) == reference(retriever, query)
