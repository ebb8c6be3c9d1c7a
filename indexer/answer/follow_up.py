"""Follow-up questions read in the light of the previous answer: "how fast is it?" is asked of the note that answer was
about, "and what about SAM?" asks the previous question of the SAM note."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.answer.naming import short_name
from indexer.answer.questions import is_follow_up
from indexer.answer.result import Answer
from indexer.retrieval import Retriever

_PRONOUN = re.compile(
    r"\b(?:(it|they|them)|(its|their)|(?:this|the)\s+(?:paper|model|method|approach|work|network))\b(?!['’])",
    re.IGNORECASE,
)
"""Words that stand for the paper a question is about: replaced by its name ("its" and "their" by the name's possessive)."""
_WHAT_ABOUT = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay)[\s,]+|(?=(?:what|how)\s+about\b|same\s+for\b))"
    r"(?:(?:what|how)\s+about\s+|(?:the\s+)?same\s+for\s+|for\s+)?(?:the\s+)?(.+?)(?:\s+(?:paper|model|method|one))?[\s?.!]*$",
    re.IGNORECASE,
)
"""'and what about SAM?', 'and SAM?', 'same for SAM?': the previous question asked again of another paper (when the rest is its name)."""
_COMPARES = re.compile(r"\b(?:compare[sd]?|comparison|versus|vs\.?|than|differ(?:s|ent|ence)?|unlike|against)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """How a question is read: the question answered, the paper it is about, the notes retrieval prefers."""

    question: str
    about: list[str] = field(default_factory=list)
    """Notes taken as named (`Retriever.search(about=...)`): the paper a follow-up is about, even by a family's
    name ("and what about SAM?", which names no note for ranking: MobileSAM, HQ-SAM … build on "SAM")."""
    prefer: list[str] = field(default_factory=list)
    search_hint: str = ""
    """Words added to the search only (the previous answer's title), for a follow-up with no pronoun to resolve."""


def read_question(
    question: str,
    previous: Answer | None,
    retriever: Retriever,
    scope: Sequence[str] | None = None,
    open_note: str | None = None,
) -> Reading:
    """`question` read with the previous answer (or the one note it is asked of) as its context.

    Only a follow-up leans on it ("and …", "what about …", "it", "its", "the paper": `is_follow_up`); any other
    question is read as typed, whatever was asked before.
    - A follow-up that calls a note by a name of its own ("and what about SAM?") starts a topic, that note's.
      A bare "what about X?" asks the previous question again with X in place of the previous paper ("who
      wrote DETR?" → "who wrote SAM?"). A comparison keeps the previous paper for its pronoun ("how does it
      compare with SAM?" → "how does DETR compare with SAM?").
    - Else it is asked of the previous answer's note, a pronoun read as that note's name ("how fast is it?"
      → "how fast is DETR?"): the question then names the note, so its passages and its own sentences
      (not a baseline's row) answer it. With no pronoun, the previous note is preferred.
    Asked of one note ("only this note", `--note`), the pronoun is that note, whatever the previous answer was about;
    with no previous answer, the note being read (`open_note`, the app's reader: "who wrote this paper?").
    """
    before = previous.notes[0] if previous is not None and previous.notes else None
    topic = scope[0] if scope is not None and len(scope) == 1 else before or open_note
    if topic is None or topic not in retriever.index.notes or not is_follow_up(question):
        return Reading(question)
    called = retriever.notes_called(question)
    name = _name_of(topic, previous, retriever)
    if called:
        asked_again = _asked_again(question, called[0], previous, before, retriever)
        if asked_again is not None:
            return Reading(asked_again, about=called[:1])
        if _COMPARES.search(question) and _PRONOUN.search(question):
            return Reading(_with_name(question, name), about=[topic, *called[:1]])
        return Reading(question, about=called[:1])
    if _PRONOUN.search(question):
        return Reading(_with_name(question, name), about=[topic])
    if previous is None or topic != before:
        return Reading(question)
    hint = previous.citations[0].title if previous.citations else ""
    return Reading(question, prefer=previous.notes[:2], search_hint=hint)


def _name_of(note_id: str, previous: Answer | None, retriever: Retriever) -> str:
    """The name of the note `note_id`: as the previous question wrote it, else its short name."""
    asked = (previous.read_as or previous.question) if previous is not None else ""
    if len(asked.lower()) == len(asked):
        for start, end, called in retriever.calls(asked):
            if called == note_id:
                return asked[start:end]
    return short_name(retriever.index.notes[note_id])


def _asked_again(question: str, other: str, previous: Answer | None, topic: str | None, retriever: Retriever) -> str | None:
    """For "what about X?" where X is all the question says: the previous question with X in place of its paper (`topic`)."""
    bare = _WHAT_ABOUT.match(question)
    if previous is None or topic is None or bare is None or retriever.notes_called(bare.group(1)) != [other]:
        return None
    name = bare.group(1)
    spans = [(a, b) for a, b, called in retriever.calls(bare.group(1)) if called == other]
    if spans and spans[0] != (0, len(name)):
        return None  # more than the name ("what about SAM's decoder?"): a question of its own
    before = previous.read_as or previous.question
    if len(before.lower()) == len(before):
        places = [(a, b) for a, b, called in retriever.calls(before) if called == topic]
        for start, end in reversed(places):
            before = before[:start] + name + before[end:]
        if places:
            return before
    return _with_name(before, name) if _PRONOUN.search(before) else None


def _with_name(question: str, name: str) -> str:
    """`question` with its pronouns for the paper replaced by `name` ("how fast is it?" → "how fast is DETR?")."""
    return _PRONOUN.sub(lambda m: f"{name}'s" if m.group(2) else name, question)
