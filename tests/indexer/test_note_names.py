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


def test_name_spans_are_the_names_where_the_query_has_them(retriever: Retriever) -> None:
    query = "Is HQ-SAM sharper than MobileSAM, and is MobileSAM faster?"
    spans = retriever.name_spans(query)
    assert [(query[a:b], note_id) for a, b, note_id in spans] == [
        ("HQ-SAM", "hq-sam"), ("MobileSAM", "mobilesam"), ("MobileSAM", "mobilesam"),
    ]
    assert retriever.named_notes(query) == ["hq-sam", "mobilesam"]


def test_field_matches_score_the_words_outside_the_names(retriever: Retriever) -> None:
    features = retriever.features("Which encoder built on TinyViT makes SAM mobile?")
    assert features is not None and features.names == ("tinyvit",)
    title = dict(zip(features.note_ids, features.title.tolist(), strict=True))
    assert title["tinyvit"] == 0.0  # its name is what the boost is for, not a title match
    assert title["mobilesam"] == max(title.values()) > 0.0  # "SAM" and "mobile" describe MobileSAM
