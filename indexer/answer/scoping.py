"""A question asked of one note ("only this note", `ask --note`) that names another note of the library instead."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.composing import citations_of
from indexer.answer.naming import short_name
from indexer.answer.questions import Asked
from indexer.answer.result import Answer, NoteRef
from indexer.retrieval import Retriever

CLOSEST = 3
"""Passages of the note named instead shown with the refusal: where the answer may be."""


def outside_scope(question: str, retriever: Retriever, scope: Sequence[str] | None) -> list[str]:
    """The notes `question` calls by a name of theirs (`Retriever.notes_called`) outside `scope`, when it calls
    none inside it: "who wrote the DETR paper?" asked of the MobileSAM note names DETR's note; "how does MobileSAM
    compare with SAM?" asked of it names that note too, and is about it."""
    if not scope:
        return []
    called = retriever.notes_called(question)
    if any(note_id in scope for note_id in called):
        return []
    return [note_id for note_id in called if note_id in retriever.index.notes]


def mentions(retriever: Retriever, scope: Sequence[str], note_id: str) -> bool:
    """Whether a passage of the `scope` notes writes one of `note_id`'s names (whole words, any case)."""
    names = sorted(retriever.names_of(note_id), key=len, reverse=True)
    if not names:
        return False
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.IGNORECASE)
    chunks = retriever.index.chunks(retriever.index.rows_of_notes(list(scope)))
    return any(pattern.search(chunk.text) for chunk in chunks)


def note_ref(question: str, retriever: Retriever, note_id: str) -> NoteRef:
    """What an answer says about a note `question` names: id, the name as the question writes it ("YOLO9000",
    although the note's short name is YOLOv2; else its short name), title, file."""
    note = retriever.index.notes[note_id]
    name = short_name(note)
    if len(question.lower()) == len(question):  # spans are found in the lower-cased question
        name = next((question[a:b] for a, b, called in retriever.calls(question) if called == note_id), name)
    return NoteRef(note.id, name, note.title, note.rel_path)


def not_about(
    question: str, asked: Asked, retriever: Retriever, scope: Sequence[str], outside: Sequence[str]
) -> Answer | None:
    """"Your note on MobileSAM is not about DETR." when a question asked of `scope` names only `outside` notes
    and the scope cannot answer for them; None when it may.

    It cannot when the question asks for a paper's own details (authors, year, venue, links: those of the
    paper named, never of the note asked) or when no passage of the scope says the other note's name. A
    note that discusses the other paper ("How much compute did SAM take?" asked of MobileSAM's note,
    which compares itself with SAM) answers from what it says about it. The refusal's closest
    passages are the named note's, and `outside_scope` says which note to ask instead.
    """
    if not outside:
        return None
    if asked.kind != "metadata" and any(mentions(retriever, scope, note_id) for note_id in outside):
        return None
    refs = [note_ref(question, retriever, note_id) for note_id in outside]
    asked_of = " and ".join(short_name(retriever.index.notes[n]) for n in scope if n in retriever.index.notes)
    named = " or ".join(ref.name for ref in refs[:3])
    hits = retriever.search(question, k=CLOSEST, scope=[refs[0].id])
    return Answer(
        question,
        None,
        [],
        closest=citations_of(hits, {}),
        kind=asked.kind,
        reason=f"Your note on {asked_of or 'this paper'} is not about {named}.",
        outside_scope=refs,
    )
