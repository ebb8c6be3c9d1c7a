"""Follow-up questions read in the light of the previous answer: "how fast is it?" is asked of the note that answer was
about, "and what about SAM?" asks the previous question of the SAM note."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from indexer.answer.naming import short_name
from indexer.answer.questions import is_follow_up
from indexer.answer.refusing import unknown_names
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
_CONNECTIVE = re.compile(r"^\s*(?:(?:and|but|so|also|then|ok|okay)\b[\s,]*)+", re.IGNORECASE)
"""The word that joins a follow-up to the turn before ("and how fast is it?"): dropped when the question is read with the name."""
_LEANING_OPENING = re.compile(
    r"^\s*(?:(?:which|what|how|who|whom|whose|where|when|why)\b(?:\s+[\w-]+){0,3}?\s+)?"
    r"(?:(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would|should|may|might)\s+)?$",
    re.IGNORECASE,
)
"""What may come before a word standing for the previous paper: a question word and its few words ("how many
parameters", "what dataset", "who wrote"), then an auxiliary ("how fast is it?", "what dataset was it trained on?").
A question that says more before it has given the word its own antecedent: "Which search procedure do Zou et al. use to
optimise their suffix?" (Zou et al.'s), "Which technique trains each module of a network on its own …", "the mapping
network that turns z into w": a question of its own, not a follow-up."""
_COMPARES = re.compile(r"\b(?:compare[sd]?|comparison|versus|vs\.?|than|differ(?:s|ent|ence)?|unlike|against)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """How a question is read: the question answered, the paper it is about, the notes retrieval prefers."""

    question: str
    about: list[str] = field(default_factory=list)
    """Notes taken as named (`Retriever.search(about=...)`): the paper a follow-up is about, even by a family's
    name ("and what about SAM?", which names no note for ranking: MobileSAM, HQ-SAM … build on "SAM")."""


def read_question(
    question: str,
    previous: Answer | None,
    retriever: Retriever,
    scope: Sequence[str] | None = None,
    open_note: str | None = None,
) -> Reading:
    """`question` read with the previous answer (or the one note it is asked of) as its context.

    Only a follow-up leans on it ("and …", "what about …", "it", "its", "the paper" with only a question word before
    it: `_leans_on_before`); any other question is read as typed, whatever was asked before (`in_context` reads one
    that nothing answers alone).
    - A follow-up that calls a note by a name of its own ("and what about SAM?") starts a topic, that note's.
      A bare "what about X?" asks the previous question again with X in place of the previous paper ("who
      wrote DETR?" → "who wrote SAM?"). A comparison keeps the previous paper for its pronoun ("how does it
      compare with SAM?" → "how does DETR compare with SAM?").
    - Else it is asked of the previous answer's note, a pronoun read as that note's name ("how fast is it?"
      → "how fast is DETR?"): the question then names the note, so its passages and its own sentences
      (not a baseline's row) answer it. With no pronoun, the question is asked of that note ("and the dataset?" → "the
      dataset in DETR?"). The note is called by the name the conversation used ("StyleGAN", not its long title).
    Asked of one note ("only this note", `--note`), the pronoun is that note, whatever the previous answer was about;
    with no previous answer, the note being read (`open_note`, the app's reader: "who wrote this paper?").
    """
    before = previous.notes[0] if previous is not None and previous.notes else None
    topic = _topic(previous, scope, open_note)
    if topic is None or topic not in retriever.index.notes or not _leans_on_before(question):
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
        return Reading(_with_name(_unjoined(question), name), about=[topic])
    return _in_note(question, topic, name)


def in_context(
    question: str,
    previous: Answer | None,
    retriever: Retriever,
    scope: Sequence[str] | None = None,
    open_note: str | None = None,
) -> Reading | None:
    """A question read as typed that nothing answered, read instead about the conversation's note; None when it can't be.

    "how many images are needed" after an answer from DreamBooth's note names no paper and says nothing that marks
    it as a follow-up: its subject is implied. Asked alone, no note answers it; about DreamBooth it is "how many
    images are needed in DreamBooth?". Only a question that names no note and no unknown name ("No note covers
    YOLOv8" stands) is read so, and only after it was refused as typed, so a question some note answers on its own is
    answered as it would be alone, whatever was asked before.
    """
    topic = _topic(previous, scope, open_note)
    if topic is None or topic not in retriever.index.notes or retriever.notes_called(question):
        return None
    if unknown_names(question, retriever):
        return None
    return _in_note(question, topic, _name_of(topic, previous, retriever))


def _leans_on_before(question: str) -> bool:
    """Whether a question is a follow-up: it opens with "and …" or "what about …", or a word of it stands for the
    previous paper ("it", "its", "this paper": `is_follow_up`) with only a question word before it (`_LEANING_OPENING`)."""
    if not is_follow_up(question):
        return False
    if _CONNECTIVE.match(question) or re.match(r"\s*(?:what|how)\s+about\b", question, re.IGNORECASE):
        return True
    undescribed = _DESCRIBED.sub(" ", question)  # "the paper that recovers depth …" is a paper to find, not the last one
    leaning = _FOLLOW_UP_WORD.search(undescribed)
    return leaning is not None and bool(_LEANING_OPENING.match(undescribed[: leaning.start()]))


_DESCRIBED = re.compile(r"\bthe\s+(?:paper|model|method|approach|work|network)\s+(?:that|which|who|where|whose)\b", re.IGNORECASE)
"""A paper described by what it does ("the model that learns to imitate a video game"): the one the question looks for."""


_FOLLOW_UP_WORD = re.compile(
    r"\b(?:it|its|it's|they|them|their|this|that|these|those|the\s+(?:paper|model|method|approach|work|network))\b",
    re.IGNORECASE,
)
"""The words `is_follow_up` takes for the previous paper."""


def _topic(previous: Answer | None, scope: Sequence[str] | None, open_note: str | None) -> str | None:
    """The note a follow-up is about: the one note asked of, else the previous answer's, else the note being read."""
    before = previous.notes[0] if previous is not None and previous.notes else None
    return scope[0] if scope is not None and len(scope) == 1 else before or open_note


def _in_note(question: str, topic: str, name: str) -> Reading:
    """`question` asked of the note `topic`, called `name`: "and the dataset?" → "the dataset in DETR?"."""
    bare = _unjoined(question).rstrip(" ?.!") or question
    return Reading(f"{bare} in {name}?", about=[topic])


def _unjoined(question: str) -> str:
    """`question` without the word joining it to the turn before ("and how fast is it?" → "how fast is it?")."""
    return _CONNECTIVE.sub("", question, count=1) or question


def _name_of(note_id: str, previous: Answer | None, retriever: Retriever) -> str:
    """The name of the note `note_id`: as the previous question wrote it, else its short name."""
    asked = (previous.read_as or previous.question) if previous is not None else ""
    if len(asked.lower()) == len(asked):
        for start, end, called in retriever.calls(asked):
            if called == note_id:
                return asked[start:end]
    names = {_squashed(n) for n in retriever.names_of(note_id)}
    for word in _WORD.findall(asked):  # "StyleGAN", as the question wrote style_GAN.md's "style gan"
        if _squashed(word) in names:
            return word
    return short_name(retriever.index.notes[note_id])


_WORD = re.compile(r"[A-Za-z0-9][\w.-]*[A-Za-z0-9]")
"""A word that may be a name as a question writes it ("StyleGAN", "YOLO9000", "Cycle-GAN")."""


def _squashed(name: str) -> str:
    """A name without case, spaces, "-" and "_": "style_GAN", "Style GAN" and "StyleGAN" are one name."""
    return re.sub(r"[\s_-]+", "", name.lower())


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
