"""Which sentences may lead an answer and which runners-up may join it: what the note says, not padding.

- a runner-up joins from the lead's note only, unless the question compares papers it names: another note's
  sentence mixes papers into an answer that is complete ("the best model in the table" is a superlative, not that);
- a sentence setting the paper against another ("DETR vs YOLOv2: ...", under "What's new vs its neighbours") does not
  lead a question that compares nothing, when one that is only about the paper scores close to it;
- a runner-up leaning on a sentence left out ("On these two datasets, ...", "These results ...") does not join; a lead
  so leaning brings that sentence (answers are in reading order, so it is read first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.candidates import Candidate
from indexer.retrieval import Hit

_SIDE_HEADING = re.compile(r"\b(?:vs\.?|versus|differs?|compared?|comparison|relates?|relation|neighbou?rs?|descendants?|other\s+notes)\b", re.IGNORECASE)
"""Headings of a section setting the paper against others ("What's new vs its neighbours", "How it relates to ...")."""
_SIDE_SENTENCE = re.compile(r"^\s*(?:[-*+]\s+)?[^\s:]+(?:\s+[^\s:]+){0,3}\s+(?:vs\.?|versus)\s+[^:]{1,40}:")
"""A sentence opening with "X vs Y:" or "X versus Y:"."""
_LEANS_BACK = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:(?:on|in|for|with|from|of|across|by|at|to|unlike|like)\s+)?(?:these|those|such|both|this|that)\b"
    r"(?!\s+(?:paper|work|note|article|study|method|approach|model|framework|summary|post|blog|is|was|means|way)\b)",
    re.IGNORECASE,
)
"""A sentence that opens on what the sentence before it said ("On these two datasets, ...", "These results show ...");
"This paper ..." and "This is ..." stand alone."""


def sets_against_another(candidate: Candidate, pool: Sequence[Hit]) -> bool:
    """Whether the sentence sets the paper against another work ("DETR vs YOLOv2: ...", a "vs its neighbours" section)."""
    return bool(_SIDE_SENTENCE.match(candidate.sentence) or _SIDE_HEADING.search(pool[candidate.hit_index].chunk.section.split(" › ")[-1]))


def leans_back(candidate: Candidate) -> bool:
    """Whether the sentence opens on what the sentence before it said."""
    return bool(_LEANS_BACK.match(candidate.sentence))


def lead_of(scored: Sequence[Candidate], pool: Sequence[Hit], comparative: bool, join_ratio: float) -> Candidate:
    """The best-scored sentence that may lead: for a question comparing nothing, not one setting the paper against
    another when a sentence scoring within `join_ratio` of the best is only about it; else the best."""
    best = scored[0]
    for candidate in scored:
        if candidate.score < best.score * join_ratio:
            break
        if not comparative and sets_against_another(candidate, pool):
            continue
        return candidate
    return best


def may_join(candidate: Candidate, lead: Candidate, chosen: Sequence[Candidate], pool: Sequence[Hit], across_notes: bool) -> bool:
    """Whether a runner-up adds to the answer led by `lead` rather than padding it; `across_notes`: the question
    compares papers it names ("FastSAM compared with SAM"), whose sentences may sit in other notes."""
    if not across_notes and pool[candidate.hit_index].chunk.note_id != pool[lead.hit_index].chunk.note_id:
        return False
    return not leans_back(candidate) or any(c.sentence == candidate.previous for c in chosen)


def with_antecedents(chosen: Sequence[Candidate], every: Sequence[Candidate]) -> list[Candidate]:
    """The lead, when it leans on the sentence before it ("On these two datasets, ..."), with that sentence before it."""
    lead = chosen[0]
    if not leans_back(lead) or not lead.previous or any(c.sentence == lead.previous for c in chosen):
        return list(chosen)
    before = next((c for c in every if c.hit_index == lead.hit_index and c.sentence == lead.previous), None)
    return [lead, *([before] if before is not None else []), *chosen[1:]][: max(len(chosen), 2)]  # as long as it was
