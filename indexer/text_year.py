"""The year a note's own text gives when its front matter doesn't: its byline, a venue with a year near the top, its paper's arXiv id."""

from __future__ import annotations

import re

from indexer.notemodel import Section

YEARS = range(1900, 2101)
"""Years a paper can have; anything else is reported (a typo like 2203, or a count like 5)."""
BYLINE_BLOCKS = 3
"""Blocks under the title that may be its byline ("Authors, **CVPR 2021**"): in papers_we_read the
venue and year sit in the first (72 notes) or second (1: a separate "Conference:" line) block."""
BYLINE_LINES = 3
"""Longest byline block in lines: authors and venue are one or two lines there; prose runs longer."""
MAX_VENUE_LINE = 80
"""Longest venue line of its own under the authors ("Springer Multimedia Tools and Applications 2022": 48)."""
_BYLINE_YEAR = re.compile(r"(?:^|(\S*?))[\s*_]*\(?(?<!\d)((?:19|20)\d\d)[\s.;:)\]*_]*$")

VENUE_BLOCKS = 3
"""Blocks of text at the top of a note where a venue with its year tells the paper's year: the byline
and the first paragraph or two under it ("This paper got the best paper award at ACL 2019": the second
block in the 7 papers_we_read notes that say so). Further down, a venue and year are as likely to be
another paper's."""
VENUES = (
    "NeurIPS", "NIPS", "ICML", "ICLR", "CVPR", "ICCV", "ECCV", "WACV", "BMVC", "ACCV", "AAAI", "IJCAI",
    "ACL", "EMNLP", "NAACL", "EACL", "AACL", "COLING", "CoNLL", "TACL", "KDD", "SIGIR", "SIGGRAPH",
    "WSDM", "CIKM", "ICDM", "UAI", "AISTATS", "COLT", "CoRL", "ICRA", "IROS", "ICASSP", "Interspeech",
    "INTERSPEECH", "MICCAI", "TPAMI", "JMLR", "TMLR", "IJCV", "MLSys",
)  # fmt: skip
"""The major machine learning, vision, language, robotics and speech venues, as their papers cite them.
A capitalised word before a year is not enough: datasets and benchmarks are named so too ("WMT 2014",
"ImageNet 2012", "COCO 2017") and say nothing of the paper's year."""
_VENUE_YEAR = re.compile(
    rf"(?<![\w-])(?:{'|'.join(VENUES)})(?:[ -]?W(?:orkshops?)?)?[\s*_'’:,–—-]*\(?((?:19|20)\d\d)(?!\d)"
)
"""A venue, a workshop of it, then its year: "ACL 2019", "ICML-2018", "**ICCV** **2023**", "CVPRW 2020"."""

_ARXIV_ID = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/(?:(?P<yy>\d\d)(?P<mm>\d\d)\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/(?P<old_yy>\d\d)(?P<old_mm>\d\d)\d{3})"
    r"|arxiv:\s*(?P<id_yy>\d\d)(?P<id_mm>\d\d)\.\d{4,5}",
    re.IGNORECASE,
)
"""An arXiv id, in a link or as `arXiv:2304.12345`: new ids (since April 2007) start YYMM, old ones
(`cs/0601001`) too after the archive's name."""
_PAPER_LABEL = r"(?:paper|arxiv|pdf)"
_LABELLED_LINK = re.compile(
    rf"\[\s*{_PAPER_LABEL}\s*\]\(|^\W*{_PAPER_LABEL}\W*?[:–—-]",  # "[Paper](…)", "Paper: …", "- **arXiv**: …"
    re.IGNORECASE,
)
"""A line naming the paper's own link: a link labelled Paper, arXiv or PDF, or a line starting with such a
label and a colon or dash. Links to other papers are labelled with their names ("[CycleGAN](…)")."""


def byline_year(sections: list[Section]) -> tuple[int, int] | None:
    """The year of a venue line under the title ("…, **CVPR 2021**", "NeurIPS 2020", "ICML 2021"), and its line.

    Of the first blocks of the note's first section with text, a short paragraph whose last line ends with a year that does not
    follow a lowercase word, or that ends a venue line of its own (short, below the authors, no full
    stop): what a byline looks like in any note-taker's notes, where prose ("…was published in
    2017.") puts a lowercase word before the year and ends with a full stop.
    """
    first = next((s for s in sections if s.blocks), None)  # under the title (or the headings above it)
    blocks = first.blocks[:BYLINE_BLOCKS] if first is not None else []
    for number, block in enumerate(blocks):
        lines = [line.strip() for line in block.text.splitlines() if line.strip()]
        if block.kind != "paragraph" or not lines or len(lines) > BYLINE_LINES:
            continue
        match = _BYLINE_YEAR.search(lines[-1])
        if not match or int(match.group(2)) not in YEARS:
            continue
        before = (match.group(1) or "").strip("*_")
        below = len(lines) > 1 or number > 0
        own_line = below and len(lines[-1]) <= MAX_VENUE_LINE and not lines[-1].endswith(".")
        if own_line or not (before.isalpha() and before.islower()):
            return int(match.group(2)), block.start_line + len(lines) - 1
    return None


def venue_year(sections: list[Section]) -> tuple[int, int] | None:
    """The year of the first venue named with a year in the note's first blocks of text (`VENUE_BLOCKS`), and its line."""
    blocks = [b for s in sections for b in s.blocks if b.kind in ("paragraph", "list_item")][:VENUE_BLOCKS]
    for block in blocks:
        for line_offset, line in enumerate(block.text.splitlines()):
            match = _VENUE_YEAR.search(line)
            if match and int(match.group(1)) in YEARS:
                return int(match.group(1)), block.start_line + line_offset
    return None


def arxiv_year(paper: object, sections: list[Section], source_lines: list[str] | None) -> int | None:
    """The year an arXiv id gives (its YYMM: when the paper was first posted) of the note's paper link:
    its `paper` field, else the first line of text labelled as the paper's link (`_LABELLED_LINK`)."""
    if isinstance(paper, str) and (year := _id_year(paper)) is not None:
        return year
    if source_lines is None:
        return None
    for block in (b for s in sections for b in s.blocks if b.kind in ("paragraph", "list_item")):
        for line in source_lines[block.start_line - 1 : block.end_line]:
            if _LABELLED_LINK.search(line) and (year := _id_year(line)) is not None:
                return year
    return None


def _id_year(text: str) -> int | None:
    match = _ARXIV_ID.search(text)
    if match is None:
        return None
    yy, mm = next((match[f"{p}yy"], match[f"{p}mm"]) for p in ("", "old_", "id_") if match[f"{p}yy"])
    if not 1 <= int(mm) <= 12:
        return None
    return (1900 if int(yy) >= 91 else 2000) + int(yy)  # arXiv began in August 1991
