"""Metadata answers: authors, year, venue, paper link or arXiv id, code, demo, source and awards, from the note's own lines.

Notes record these in front matter (shown in the index as the "About" passage), in a
`* **Title**: ...` list, in an authors line under the title, or in a links section whose link
targets only the Markdown has; whichever the note uses, the answer quotes those lines (links
written out) and cites the passage holding them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.answer.features import REFERENCE_HEADINGS
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit

MAX_LINES = 3
HEAD_LINES = 12
"""Lines under the title (before the first section) that may hold an authors or venue line."""
_VENUE = re.compile(
    r"\b(CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|COLING|TPAMI|TMLR|JMLR|SIGGRAPH|WACV|BMVC|"
    r"CoRL|RSS|ICRA|IROS|KDD|WWW|CHI|Interspeech|ICASSP|Nature|Science|TACL|UAI|AISTATS|MICCAI|3DV|ICPR|arXiv|"
    r"[Jj]ournal|[Tt]ransactions|[Pp]roceedings|[Cc]onference|[Ww]orkshop|Springer|Elsevier|IEEE|ACM)\b"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PERSON = re.compile(r"[A-Z][\w'’.-]+(?:\s+(?:(?:de|van|von|der|den|da|di|du|del|della|dos|le|la|bin)\s+)*[A-Z][\w'’.-]*){1,3}")
_ET_AL = re.compile(r"et\.?\s*al\.?", re.IGNORECASE)
_LABELLED: dict[str, re.Pattern[str]] = {
    "authors": re.compile(r"^(?:authors?|written by|by)\b\s*[:\-]", re.IGNORECASE),
    "paper": re.compile(r"arxiv\.org/|\barxiv\s*[:\s]\s*\d{4}\.\d{4,5}|doi\.org/|openreview\.net/|^(?:paper|pdf|research paper)\b[^:]{0,12}:", re.IGNORECASE),
    "code": re.compile(r"github\.com/|gitlab\.com/|^(?:code|github|repo(?:sitory)?|implementation)\b[^:]{0,12}:", re.IGNORECASE),
    "demo": re.compile(r"\bdemo\b|huggingface\.co/spaces/|\bcolab\b|^(?:try it|playground)\b", re.IGNORECASE),
    "source": re.compile(r"^(?:source|original (?:tweet|post|thread))\b|twitter\.com/|\bx\.com/|\btweet\b|\bblog\b", re.IGNORECASE),
    "year": re.compile(r"^(?:year|date|published)\b\s*:", re.IGNORECASE),
    "venue": re.compile(r"^(?:venue|conference|journal|published (?:at|in))\b\s*:", re.IGNORECASE),
    "award": re.compile(r"\b(?:best (?:\w+ )?paper|award|prize|honou?rable mention|outstanding paper)\b", re.IGNORECASE),
}
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


@dataclass(frozen=True)
class MetadataLine:
    """A line of a note that states a metadata field, and the pool passage it is cited to."""

    hit_index: int
    text: str
    field: str


LINK_FIELDS = frozenset({"demo", "code", "paper"})
"""Fields asked for as a place to go: a line with a link answers them before one that only mentions them."""


def metadata_lines(fields: Sequence[str], pool: Sequence[Hit], note_id: str, root: Path) -> list[MetadataLine]:
    """The lines of note `note_id` that state the asked `fields`: labelled lines first, then authors/venue lines under the title."""
    mine = [(i, h) for i, h in enumerate(pool) if h.chunk.note_id == note_id]
    if not mine:
        return []
    lines = _note_lines(mine, root)
    found: list[MetadataLine] = []
    for field in fields:
        label = re.compile(rf"^{re.escape(field)}s?\b\s*[:\-]", re.IGNORECASE)
        line = next((x for x in lines if label.search(x[1]) and _plausible(field, x)), None)
        if line is None:
            stating = [x for x in lines if _LABELLED[field].search(x[1]) and _plausible(field, x)]
            linked = [x for x in stating if field in LINK_FIELDS and "://" in x[1]]  # "where can I try the demo": a link
            line = (linked or stating or [None])[0]
        if line is None:
            line = next((x for x in lines if x[2] and _under_title(field, x[1])), None)
        if line is not None and all(m.text != line[1] for m in found):
            found.append(MetadataLine(line[0], line[1], field))
    return found[:MAX_LINES]


def _plausible(field: str, line: tuple[int, str, bool, bool]) -> bool:
    """An award or authors label counts in the note's head or its links; the others anywhere."""
    _, _, head, reference = line
    return field not in ("authors",) or head or reference


def _note_lines(mine: Sequence[tuple[int, Hit]], root: Path) -> list[tuple[int, str, bool, bool]]:
    """(pool index, text with links written out, under the title?, in a links section?) for each line of the note."""
    out: list[tuple[int, str, bool, bool]] = []
    about = [(i, h) for i, h in mine if h.chunk.section == ABOUT_SECTION]
    for i, hit in about:
        out += [(i, line.strip(), True, False) for line in hit.chunk.text.split("\n") if line.strip()]
    body = [(i, h) for i, h in mine if h.chunk.section != ABOUT_SECTION]
    if not body:
        return out
    raw = read_lines(str(root / body[0][1].chunk.rel_path))
    first_section = min((h.chunk.start_line for _, h in body if h.chunk.section), default=len(raw) + 1)
    heading = ""
    for number, text in enumerate(raw, start=1):
        stripped = text.strip()
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip().lower()
            continue
        rendered = _render(stripped)
        if len(rendered) < 4:
            continue
        owner = next((i for i, h in body if h.chunk.start_line <= number <= h.chunk.end_line), None)
        if owner is None:  # front matter (the About passage holds what of it was read), or a passage not in the pool:
            continue  # a quote is always text of the passage it cites
        head = number < first_section and number <= body[0][1].chunk.start_line + HEAD_LINES
        out.append((owner, rendered, head, heading in REFERENCE_HEADINGS))
    return out


def _under_title(field: str, text: str) -> bool:
    """An authors line ("A. Smith, B. Lee, CVPR 2021") or a venue/year line under the title."""
    if field == "authors":
        return _looks_like_authors(text)
    if field == "year":
        return bool(_YEAR.search(text))
    if field == "venue":
        return bool(_VENUE.search(text)) or (bool(_YEAR.search(text)) and len(text) < 80 and not _looks_like_authors(text))
    return False


def _looks_like_authors(line: str) -> bool:
    """A byline: a comma-separated run of person names, at least two or one and "et al.", making at least half
    of its parts (the rest are venue, year, affiliations: "Yue Zhao, Ishan Misra, ..., University of Texas")."""
    parts = [p.strip(" *._-–") for p in re.split(r",|&|\||\band\b", _VENUE.sub("", _YEAR.sub("", line))) if p.strip(" *._-–")]
    people = 0
    for part in parts:
        if _PERSON.fullmatch(part) or _ET_AL.fullmatch(part):  # "et al." stands for the other authors
            people += 1
        elif _ET_AL.search(part) and _PERSON.fullmatch(_ET_AL.sub("", part).strip()):  # "Nupur Kumari et al."
            people += 2
    return people >= 2 and people >= 0.5 * len(parts)


def _render(line: str) -> str:
    """A Markdown line as a reader sees it, with link targets written out: "Paper: https://..."."""
    text = re.sub(r"<[^>]+>", " ", line)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    text = _LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}" if m.group(1).strip() else m.group(2), text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return " ".join(text.split())


def read_lines(path: str) -> list[str]:
    """The lines of the note file at `path` (cached while its mtime holds; [] when unreadable)."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return []
    return _read_cached(path, stamp)


@lru_cache(maxsize=256)
def _read_cached(path: str, stamp: int) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
