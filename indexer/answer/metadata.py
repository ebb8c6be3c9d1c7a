"""Metadata answers: authors, year, venue, paper link or arXiv id, code, demo and source, read from the note's own lines.

Notes record these in front matter (shown in the index as the "About" passage), in a
`* **Title**: ...` list, in an authors line under the title, or in a links section; whichever the
note uses, the answer quotes those lines and cites them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.answer.features import is_reference_section
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit

MAX_LINES = 3
_VENUE = re.compile(
    r"\b(CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|COLING|TPAMI|TMLR|JMLR|SIGGRAPH|WACV|BMVC|"
    r"CoRL|RSS|ICRA|IROS|KDD|WWW|CHI|Interspeech|ICASSP|Nature|Science|TACL|UAI|AISTATS|MICCAI|3DV|ICPR|arXiv)\b"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PERSON = re.compile(r"[A-Z][\w'’.-]+(?:\s+(?:de|van|von|der|da|di|le|la)?\s*[A-Z][\w'’.-]*){1,3}")
_FIELD_LINES: dict[str, re.Pattern[str]] = {
    "authors": re.compile(r"^\W*(?:authors?|written by|by)\b\s*[:\-]?|\bet al\b", re.IGNORECASE),
    "paper": re.compile(r"arxiv\.org/|\barxiv\s*[:\s]\s*\d{4}\.\d{4,5}|\b\d{4}\.\d{4,5}(?:v\d)?\b|doi\.org/|openreview\.net/|^\W*(?:paper|pdf)\b[^:]{0,12}:", re.IGNORECASE),
    "code": re.compile(r"github\.com/|gitlab\.com/|^\W*(?:code|github|repo(?:sitory)?|implementation)\b[^:]{0,12}:", re.IGNORECASE),
    "demo": re.compile(r"\bdemo\b|huggingface\.co/spaces/|\bcolab\b|^\W*(?:try it|playground)\b", re.IGNORECASE),
    "source": re.compile(r"^\W*(?:source|original (?:tweet|post|thread))\b|twitter\.com/|\bx\.com/|\btweet\b|\bblog\b", re.IGNORECASE),
    "year": re.compile(r"^\W*(?:year|date|published)\b\s*:", re.IGNORECASE),
    "venue": re.compile(r"^\W*(?:venue|conference|journal|published (?:at|in))\b\s*:", re.IGNORECASE),
}


@dataclass(frozen=True)
class MetadataLine:
    """A line of a passage that states a metadata field."""

    hit_index: int
    text: str
    field: str


def metadata_lines(fields: Sequence[str], pool: Sequence[Hit], note_id: str) -> list[MetadataLine]:
    """The lines of note `note_id` (in `pool`) that state the asked `fields`, in the order asked."""
    found: list[MetadataLine] = []
    seen: set[str] = set()
    for field in fields:
        for index, hit in enumerate(pool):
            chunk = hit.chunk
            if chunk.note_id != note_id:
                continue
            heading_part = _is_head_of_note(hit)
            for line in chunk.text.split("\n"):
                text = line.strip()
                if len(text) < 4 or text.lower() in seen:
                    continue
                if _states(field, text, heading_part, is_reference_section(chunk.section)):
                    seen.add(text.lower())
                    found.append(MetadataLine(index, text, field))
                    break
            if any(m.field == field for m in found):
                break
    return found[:MAX_LINES]


def _is_head_of_note(hit: Hit) -> bool:
    """The front-matter passage or the lines under the title, before the first heading."""
    return hit.chunk.section in (ABOUT_SECTION, "") and hit.chunk.ordinal <= 1


def _states(field: str, line: str, head_of_note: bool, reference: bool) -> bool:
    """Whether `line` states `field` (an authors line counts only under the title or in front matter)."""
    if _FIELD_LINES[field].search(line):
        if field == "authors":
            return head_of_note or reference or bool(re.match(r"^\W*authors?\b", line, re.IGNORECASE))
        return True
    if not head_of_note:
        return False
    if field == "authors":
        return _looks_like_authors(line)
    if field == "year":
        return bool(_YEAR.search(line)) and (_looks_like_authors(line) or bool(_VENUE.search(line)) or len(line) < 40)
    if field == "venue":
        return bool(_VENUE.search(line))
    return False


def _looks_like_authors(line: str) -> bool:
    """A comma-separated run of at least two person names (an authors line under a title)."""
    parts = [p.strip() for p in re.split(r",|&|\band\b", _VENUE.sub("", _YEAR.sub("", line))) if p.strip()]
    if len(parts) < 2:
        return False
    people = sum(1 for p in parts if _PERSON.fullmatch(p.strip(" *._")))
    return people >= 2 and people >= 0.6 * len(parts)
