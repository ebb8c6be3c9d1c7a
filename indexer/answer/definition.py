"""What a paper is: "What is SinGAN?" answered with the note's defining sentence, the opening of its summary.

A note's summary (Summary, Abstract, TL;DR, The idea ...) opens by saying what the paper is ("This
paper proposes a novel GAN training technique ..."), often without the paper's name, which an
embedding model that has never seen the name scores below the off-topic floor. Asked "What is X?"
where X is the whole of a note's own name, that opening sentence is literal evidence, whatever its
cosine: it leads, with the sentence after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.candidates import Candidate
from indexer.answer.features import _OVERVIEW
from indexer.answer.naming import mentions_name
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit, Retriever

_ASKED = re.compile(
    r"^\s*(?:what\s*(?:'s|’s|\s+is|\s+are|\s+was)|tell\s+me\s+about|describe|explain)\s+(?:the\s+|an?\s+)?(?P<name>.+?)"
    r"(?:\s+(?:paper|model|method|approach|architecture|network|framework|work))?\s*[?.!]*\s*$|"
    r"^\s*what\s+(?:does|did)\s+(?:the\s+)?(?P<doer>.+?)(?:\s+(?:paper|model|method|approach))?\s+do\s*[?.!]*\s*$",
    re.IGNORECASE,
)
MIN_WORDS = 6
"""A defining sentence says something: shorter pieces ("Results:", a title) are not one."""
_COPULA = r"\s*(?:\([^)]*\)\s*)?(?:is|are|was|proposes|introduces|presents|makes|learns|uses)\b"


def asked_name(question: str) -> str | None:
    """The name a definition question asks about ("What is SinGAN?" → "SinGAN", "what does BYOL do?" → "BYOL"), else None."""
    match = _ASKED.match(question)
    if not match:
        return None
    name = (match.group("name") or match.group("doer") or "").strip(" \"'“”‘’")
    return name if 0 < len(name) <= 60 and len(name.split()) <= 6 else None


def defined_note(name: str, retriever: Retriever, focus: str) -> str | None:
    """The note whose own whole name `name` is: one the retriever calls by it, else the focus note when one of its names
    is `name` written without spaces, hyphens or case ("depthanything" for "Depth Anything")."""
    whole = [note_id for start, end, note_id in retriever.calls(name) if start == 0 and end == len(name)]
    if whole:
        return whole[0]
    from indexer.answer.naming import note_names

    note = retriever.index.notes.get(focus)
    squashed = _squash(name)
    return focus if note is not None and any(_squash(n) == squashed for n in note_names(note)) else None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def defining(candidates: Sequence[Candidate], pool: Sequence[Hit], note_id: str) -> list[Candidate]:
    """The note's defining sentence and the one after it: the first sentence of its first overview section, else
    the first saying "<its name> is / proposes ...". [] when the note has neither."""
    own = sorted(
        (c for c in candidates if pool[c.hit_index].chunk.note_id == note_id and _says_something(c, pool)),
        key=lambda c: (pool[c.hit_index].chunk.ordinal, c.position),
    )
    overview = [c for c in own if _OVERVIEW.search(pool[c.hit_index].chunk.section.split(" › ")[-1])]
    lead = overview[0] if overview else next((c for c in own if _defines(c)), None)
    if lead is None:
        return []
    after = next((c for c in own if c.hit_index == lead.hit_index and c.position == lead.position + 1), None)
    return [lead, after] if after is not None else [lead]


def _says_something(candidate: Candidate, pool: Sequence[Hit]) -> bool:
    """Prose of the note's body: not its metadata passage, a label, a table row or a fragment."""
    sentence = candidate.sentence
    return (
        pool[candidate.hit_index].chunk.section != ABOUT_SECTION
        and len(sentence.split()) >= MIN_WORDS
        and not sentence.rstrip().endswith(":")
        and sentence.count(";") < 2  # a table row read as "Name: col v; col v; ..."
    )


def _defines(candidate: Candidate) -> bool:
    """ "<name> is a ...", "<name> proposes ...": the note's name as the subject of the sentence's opening."""
    if not mentions_name(candidate.sentence, candidate.names):
        return False
    return any(re.match(rf"^\W*(?:the\s+)?{re.escape(n)}{_COPULA}", candidate.sentence, re.IGNORECASE) for n in candidate.names)
