"""What an acronym stands for: the sentence of the notes that spells out the acronym a question asks about.

A sentence writing "Bootstrap Your Own Latent (BYOL)" or "BART, short for Bidirectional and
Auto-Regressive Transformers" is literal evidence for "What does BYOL stand for?", whatever the
embedding model makes of an acronym it has never seen (its cosine to such a question is often below
the off-topic floor). The acronym is checked letter by letter against the words' initials.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.candidates import Candidate
from indexer.answer.features import _initials_spell, spells_out_acronym
from indexer.retrieval import Hit

_ASKED = re.compile(
    r"\b(?:does|do|did|is|was)\s+(?:the\s+(?:name|acronym|abbreviation|term)\s+)?[\"'“‘]?([\w][\w-]*?)[\"'”’]?\s+"
    r"(?:stand|stands|short)\s+for\b|"
    r"\b(?:acronym|abbreviation)\s+[\"'“‘]?([A-Za-z][\w-]*)",
    re.IGNORECASE,
)


def asked_acronym(question: str) -> str | None:
    """The acronym an expansion question asks about ("What does BYOL stand for?" → "BYOL"), else None."""
    match = _ASKED.search(question)
    if not match:
        return None
    word = match.group(1) or match.group(2)
    return word if len(word) >= 2 and any(ch.isalpha() for ch in word) else None


_ALSO_KNOWN = re.compile(r"^\s*Also known as (.+?)\.?\s*$")
"""How a note's About passage lists its aliases (`chunking.about_text`): "Also known as DETR, DEtection TRansformer."."""


def lists_expansion(sentence: str, acronym: str) -> bool:
    """Whether a list of a note's names holds `acronym` and a name whose initials spell it ("DETR, DEtection TRansformer")."""
    match = _ALSO_KNOWN.match(sentence)
    if not match:
        return False
    names = [n.strip() for n in match.group(1).split(",")]
    return any(n.lower() == acronym.lower() for n in names) and any(
        n.lower() != acronym.lower() and " " in n and _initials_spell(acronym, n) for n in names
    )


def spelling_out(acronym: str, candidates: Sequence[Candidate], pool: Sequence[Hit], focus: str) -> list[Candidate]:
    """The candidates that spell `acronym` out, the note's own prose before its list of aliases: the focus note's
    first, each note's in reading order."""
    found = [c for c in candidates if spells_out_acronym(c.sentence, acronym) or lists_expansion(c.sentence, acronym)]

    def order(c: Candidate) -> tuple[bool, bool, int, int]:
        chunk = pool[c.hit_index].chunk
        aliases = bool(_ALSO_KNOWN.match(c.sentence))
        return (chunk.note_id != focus, aliases, chunk.ordinal if chunk.note_id == focus else c.hit_index, c.position)

    return sorted(found, key=order)


MAX_EXTRA_TITLE_WORDS = 2
"""A title spells an acronym out when its words (before a colon) are at most this many more than the acronym's letters
("You Only Train Once" for YOTO); a longer title holds the letters by chance."""


def title_spelling(acronym: str, pool: Sequence[Hit], focus: str) -> Candidate | None:
    """The title (its part before a colon) whose words' initials spell `acronym`, as a sentence to quote, for a note no
    sentence of which spells it out ("You Only Train Once" for YOTO): the focus note's first, then the other passages'."""
    firsts: dict[str, int] = {}  # each note's earliest passage in the pool: the one its title heads
    for index, hit in enumerate(pool):
        known = firsts.get(hit.chunk.note_id)
        if known is None or hit.chunk.ordinal < pool[known].chunk.ordinal:
            firsts[hit.chunk.note_id] = index
    for _, index in sorted(firsts.items(), key=lambda item: item[0] != focus):
        chunk = pool[index].chunk
        name = chunk.title.split(":")[0].strip()
        words = re.findall(r"[\w-]+", name)
        if acronym.lower() in {w.lower() for w in words} or not 2 <= len(words) <= len(acronym) + MAX_EXTRA_TITLE_WORDS:
            continue  # "SortNet: ..." names the paper, it does not spell SortNet out
        if _initials_spell(acronym, name):
            return Candidate(name, index, -1, name, "", name, (chunk.title,))
    return None
