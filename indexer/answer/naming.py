"""The names a note goes by, the sentence that names its method, and "They/It/The paper" resolved to that name."""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.store import StoredNote

MAX_SHORT_NAME = 30
"""A title part or alias longer than this is a phrase, not a name people use."""
_ACRONYM = re.compile(r"\(([^()\s]{2,15})\)")
_SUBJECT = re.compile(
    r"^(?:they|it|we|the\s+(?:paper|authors|work|model|method|approach|framework|study|network)|"
    r"this\s+(?:paper|work|model|method|approach|framework|study|network))\b",
    re.IGNORECASE,
)
_MARKER = re.compile(r"^\s*[-*+]\s+")
_NAMING_VERB = re.compile(
    r"(?<!'s )(?<!\bthe )(?<!\ba )(?<!\bits )(?<!\btheir )"  # "SAM's design", "the design": nouns, not a naming verb
    r"\b(?:propos(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|present(?:s|ed|ing)?|call(?:s|ed)?|named?|dub(?:s|bed)?|"
    r"coin(?:s|ed)?|develop(?:s|ed)?|design(?:s|ed)?|stands?\s+for)\b",
    re.IGNORECASE,
)

_INTRODUCED = re.compile(
    r"\(([A-Za-z][\w-]{1,20})\)|\b(?:called|named|dubbed|termed|coined|propos(?:e|es|ed)|introduc(?:e|es|ed)|present(?:s|ed)?)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}?([A-Z][\w-]{1,25})"
)
_NAME_LIKE = re.compile(r"[A-Z].*[A-Z]|[A-Za-z]\d|\d[A-Za-z]|^[A-Z][a-z]+[A-Z]")


def note_names(note: StoredNote) -> tuple[str, ...]:
    """A note's names, the one people use first: aliases, the part before a colon, an acronym, the file name, the title."""
    names: list[str] = []
    aliases = [str(a).strip() for a in note.meta.get("aliases", []) or [] if str(a).strip()]
    title = " ".join(note.title.split())
    head, colon, _ = title.partition(":")
    file_name = note.id.rsplit("/", 1)[-1].replace("_", " ").replace("-", " ").strip()
    acronyms = [m.group(1) for m in _ACRONYM.finditer(title)]
    candidates = [*aliases[:3], *(a for a in acronyms if a[0].isupper())]
    if colon and 2 <= len(head.strip()) <= MAX_SHORT_NAME:
        candidates.append(head.strip())
    before_bracket = title.split("(")[0].strip()
    if acronyms and 2 <= len(before_bracket) <= MAX_SHORT_NAME:
        candidates.append(before_bracket)
    if 2 <= len(file_name) <= MAX_SHORT_NAME and re.search(r"[A-Z]", file_name) and " " not in file_name:
        candidates.append(file_name)
    candidates.append(title)
    for name in candidates:
        if name and name.lower() not in (n.lower() for n in names):
            names.append(name)
    return tuple(names)


def short_name(note: StoredNote) -> str:
    """The shortest-to-say name of a note (MobileSAM, CLIP), else its title."""
    return note_names(note)[0]


def resolve_subject(sentence: str, name: str) -> str:
    """The sentence with a leading "They/It/The paper/This model" read as `name` (for scoring, never shown)."""
    text = _MARKER.sub("", sentence)
    return _SUBJECT.sub(name, text, count=1) if _SUBJECT.match(text) else text


def has_subject_pronoun(sentence: str) -> bool:
    """Whether the sentence starts with "They", "It", "The paper", ... (its subject is the note's paper)."""
    return bool(_SUBJECT.match(_MARKER.sub("", sentence)))


def mentions_name(sentence: str, names: tuple[str, ...]) -> bool:
    """Whether the sentence says one of `names` as a whole word (acronyms case-sensitively)."""
    lowered = sentence.lower()
    return any(name.lower() in lowered and _name_pattern(name).search(sentence) for name in names)


def is_naming_sentence(sentence: str, names: tuple[str, ...]) -> bool:
    """A sentence that introduces a method by name: the note's ("The paper proposes FooNet, ...") or a new one ("... called MaLSTM")."""
    if mentions_name(sentence, names):
        return bool(_NAMING_VERB.search(sentence) or _defines(sentence, names))
    return introduced_name(sentence) is not None


def _defines(sentence: str, names: tuple[str, ...]) -> bool:
    """ "FooNet is a ...": a name defined by a copula where it is the subject, at the start of the sentence or a clause
    (not "X versus Y: ..., while Y is a ...", where the copula says something else)."""
    return any(_definition_pattern(name).search(sentence) for name in names)


@lru_cache(maxsize=4096)
def _definition_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[.;:]\s+|^[-*]\s+)(?:the\s+)?{re.escape(name)}(?:\s*\([^)]*\))?\s+(?:is|are)\s+an?\b", re.IGNORECASE)


def introduced_name(sentence: str) -> str | None:
    """A name the sentence introduces: "(YOTO)", "called MaLSTM", "we propose DyT" (capitals inside, or a digit)."""
    for match in _INTRODUCED.finditer(sentence):
        name = match.group(1) or match.group(2)
        if name and _NAME_LIKE.search(name):
            return name
    return None


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    acronym = sum(1 for ch in name if ch.isupper()) >= 2 and " " not in name
    flags = 0 if acronym else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?:s|es)?(?![\w-])", flags)
