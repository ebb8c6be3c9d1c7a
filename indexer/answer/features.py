"""What the scorer sees of each candidate: meaning, words shared (with its context), place, and fit to the question's type."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property, lru_cache

from indexer.answer.candidates import PASSAGES, Candidate, overlap, terms
from indexer.answer.naming import has_subject_pronoun, is_naming_sentence, mentions_name
from indexer.answer.questions import COMPARISON, Asked, metric_terms
from indexer.chunking import ABOUT_SECTION
from indexer.retrieval import Hit

FEATURES: tuple[str, ...] = (
    "meaning",          # cosine of the sentence (after its heading) and the question
    "meaning_gap",      # how far below the best candidate's cosine
    "words",            # share of the question's terms in the sentence, subject resolved
    "context_words",    # ... in its heading path and the sentence before it
    "passage_meaning",  # cosine of its passage and the question
    "passage_rank",     # 1 for the best passage, falling to 0 past the top passages
    "best_note",        # it is in the best passage's note
    "number",           # it holds a figure
    "asked_number",     # the question asks for a quantity and it holds a figure
    "asked_metric",     # ... and it names the kind of figure asked for (accuracy, FPS, parameters)
    "asked_comparison", # the question compares and so does it
    "reference",        # it is a metadata line or a link list
    "short",            # under 40 characters
    "length",           # characters / 200, at most 1
    "names_note",       # it says the note's name
    "asked_name",       # the question asks for a name and it says the note's name
    "asked_naming",     # ... and it is the sentence that introduces the method by name
    "asked_list",       # the question asks for a list and it is a list item or enumerates
    "asked_count",      # the question asks for N things and it says N
    "pronoun",          # it starts with They/It/The paper (resolved to the note's name)
    "early",            # it sits in the note's first sections
    "overview",         # its heading is a summary, abstract, introduction or idea
    "new_name",         # the question asks "which <thing>" and it says a name the question doesn't
    "thing_words",      # share of the asked thing's words ("similarity measure") in it
    "expansion",        # the question asks what an acronym stands for and it spells one out
    "link",             # it is mostly a link
    "asked_outcome",    # the question compares and it states an outcome (better, outperforms, the best, a higher ...)
    "other_work",       # it is about another work: cites a venue and year, "et al.", "X and colleagues", a tweet or blog
    "asked_reason",     # the question asks why and it gives a reason (because, due to, so that, therefore ...)
    "asked_coined",     # the question asks "which <thing>" and it introduces a name ("called Baklava", "Non-Local Means: ...")
)
_DIGIT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"\b(?:[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9][\w-]*|[A-Za-z]+\d[\w-]*|[A-Z][a-z]{2,}(?:[\s-][A-Z][a-z]{2,})+)")
_SPELLED_OUT = re.compile(r"\b[A-Z]{2,}[\w-]*\s*\((?:[A-Z][\w-]*[\s,]+(?:and\s+|&\s+|of\s+|for\s+)?){2,}|\b(?:short\s+for|stands?\s+for)\b")
_URL = re.compile(r"https?://\S+")
_NUMBERED = re.compile(r"\s*\d+[.)]\s")
_OVERVIEW = re.compile(r"\b(summary|abstract|introduction|overview|tl;?dr|idea|in short|gist|key idea|motivation)\b", re.IGNORECASE)
_COUNT_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ENUMERATION = re.compile(r"(?:,[^,]+){2,}|:\s*\S|\b(?:both|either|first|second|third)\b|\(\w\)|\b\d\)", re.IGNORECASE)
_OUTCOME = re.compile(
    r"\b(?:better|worse|best|worst|higher|lower|faster|slower|stronger|weaker|larger|smaller|fewer|more\s+\w+\s+than|"
    r"outperform\w*|beats?|beating|surpass\w*|exceed\w*|improv\w*|wins?|gains?|drops?|matches|on\s+par|state[\s-]of[\s-]the[\s-]art|sota)\b",
    re.IGNORECASE,
)
"""Words that state how a comparison came out."""
_OTHER_WORK = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|BMVC|WACV|SIGGRAPH|arXiv)\s*'?\d{2,4}\s+(?:paper|work|article)\b|"
    r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:paper|work|article)\s+(?:by|from)\s+[A-Z]|"
    r"\bet\s+al\b|\band\s+(?:colleagues|co-?authors|co-?workers)\b|\b(?:tweet|blog\s+post|twitter)\b",
    re.IGNORECASE,
)
"""Signs that a sentence talks about another work than the note's (a citation, a tweet): rarely what is asked."""
_WHY = re.compile(r"^\s*(?:why|how\s+come|what\s+(?:makes|causes|is\s+the\s+reason|explains))\b|\bfor\s+what\s+reason\b", re.IGNORECASE)
_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|as\s+a\s+result|so\s+that|therefore|thus|hence|which\s+is\s+why|the\s+reason|"
    r"causes?|leads?\s+to|results?\s+in)\b|,\s+so\s+",
    re.IGNORECASE,
)
_COINED = re.compile(
    r"\b(?:called|termed|named|dubbed|coined|known\s+as|referred\s+to\s+as)\s+(?:the\s+|a\s+)?[\"“'‘]?[A-Z]|"
    r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+\([A-Z][A-Za-z0-9-]{1,}\)|^\s*(?:[-*+]\s+)?[A-Z][\w-]*(?:[\s-][A-Z][\w-]*){0,3}\s*:\s+\S"
)
"""A sentence that gives something its name: "a technique called Baklava", "Greedy Coordinate Gradient (GCG)", "- Non-Local Means: ..."."""
REFERENCE_HEADINGS = {"sources", "links", "references", "resources", "source", "reference", "bibliography", "citation"}


def is_reference_section(section: str) -> bool:
    """The metadata chunk and link lists: right for "who wrote it?", noise for most questions."""
    head = section.split(" › ")[0].strip().lower()
    return section == ABOUT_SECTION or head in REFERENCE_HEADINGS


_ACRONYM_FIRST = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\s*\(([^()]{4,120})\)")
_ACRONYM_AFTER = re.compile(r"((?:[\w–-]+\s+){1,8}?[\w–-]+)\s*\(([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\)")


def _initials_spell(acronym: str, words: str) -> bool:
    """Whether the words' leading letters spell `acronym` in order ("SAM-leveraged masked image pretraining" spells SAMI)."""
    letters = acronym.lower()
    tokens = [t.lower() for t in re.split(r"[\s–—-]+", words) if t]
    if not tokens or not letters or tokens[0][0] != letters[0]:
        return False

    def spell(at: int, token: int) -> bool:
        if at == len(letters):
            return True
        if token == len(tokens):
            return False
        word = tokens[token]
        taken = 0
        while taken < len(word) and at + taken < len(letters) and word[taken] == letters[at + taken]:
            taken += 1
            if spell(at + taken, token + 1):
                return True
        return token > 0 and spell(at, token + 1)  # a word may be skipped ("of", "the"), never the first

    return spell(0, 0)


_ACRONYM_SAID = re.compile(
    r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\b[,:]?\s+(?:\(|is\s+)?(?:short\s+for|(?:which\s+)?stands?\s+for)\s+((?:[\w–-]+\s+){0,8}?[\w–-]+)(?=[,.;:)]|\s*$)"
)
"""'BART, short for Bidirectional and Auto-Regressive Transformers'."""


def spells_out_acronym(sentence: str, acronym: str | None = None) -> bool:
    """Whether the sentence spells an acronym (`acronym`, any case, when given) out: "SAMI (SAM-leveraged masked image
    pretraining)", "... pretraining (SAMI)" or "BART, short for Bidirectional and Auto-Regressive Transformers"."""
    wanted = acronym.lower() if acronym else None
    for match in (*_ACRONYM_FIRST.finditer(sentence), *_ACRONYM_SAID.finditer(sentence)):
        if (wanted is None or match.group(1).lower() == wanted) and _initials_spell(match.group(1), match.group(2)):
            return True
    for match in _ACRONYM_AFTER.finditer(sentence):
        if wanted is not None and match.group(2).lower() != wanted:
            continue
        words = match.group(1).split()
        for start in range(len(words)):
            if _initials_spell(match.group(2), " ".join(words[start:])):
                return True
    return False


def states_outcome(sentence: str) -> bool:
    """Whether the sentence says how a comparison came out ("gives a better mean IoU", "outperforms", "the best")."""
    return bool(_OUTCOME.search(sentence))


def figure_of(sentence: str, metric: str) -> bool:
    """Whether the sentence gives a figure of kind `metric` (a number and a word or sign for it)."""
    if not _DIGIT.search(_URL.sub("", sentence)):
        return False
    lowered = sentence.lower()
    return any((t in lowered) if not t.isalpha() else re.search(rf"(?<![a-z]){re.escape(t)}(?![a-z])", lowered) is not None for t in metric_terms(metric))


class Traits:
    """What a sentence is, whatever the question: each trait worked out on first use and remembered."""

    def __init__(self, sentence: str, names: tuple[str, ...]) -> None:
        self.sentence = sentence
        self.names = names
        self.bare = _URL.sub("", sentence)

    @cached_property
    def has_number(self) -> bool:
        return bool(_DIGIT.search(self.bare))

    @cached_property
    def list_item(self) -> bool:
        return self.sentence.lstrip().startswith(("-", "*", "+")) or bool(_NUMBERED.match(self.sentence))

    @cached_property
    def enumerates(self) -> bool:
        return bool(_ENUMERATION.search(self.sentence))

    @cached_property
    def pronoun(self) -> bool:
        return has_subject_pronoun(self.sentence)

    @cached_property
    def says_name(self) -> bool:
        return self.pronoun or mentions_name(self.sentence, self.names)

    @cached_property
    def naming(self) -> bool:
        return is_naming_sentence(self.sentence, self.names)

    @cached_property
    def name_tokens(self) -> tuple[str, ...]:
        start = self.sentence.lstrip("-*+ ")
        return tuple(n.lower() for n in _NAME_TOKEN.findall(self.bare) if not start.startswith(n))

    @cached_property
    def spelled_out(self) -> bool:
        return bool(_SPELLED_OUT.search(self.sentence)) or spells_out_acronym(self.sentence)

    @cached_property
    def link(self) -> bool:
        return len(self.bare.strip(" -*+:")) < 0.5 * len(self.sentence)

    @cached_property
    def comparison(self) -> bool:
        return bool(COMPARISON.search(self.sentence))

    @cached_property
    def outcome(self) -> bool:
        return states_outcome(self.sentence)

    @cached_property
    def other_work(self) -> bool:
        return bool(_OTHER_WORK.search(self.bare))

    @cached_property
    def reason(self) -> bool:
        return bool(_REASON.search(self.sentence))

    @cached_property
    def coined(self) -> bool:
        return bool(_COINED.search(self.bare))


@lru_cache(maxsize=65_536)
def traits(sentence: str, names: tuple[str, ...]) -> Traits:
    """The (lazily computed) question-independent traits of `sentence` in a note called `names`."""
    return Traits(sentence, names)


def gives_asked_figure(sentence: str, asked: Asked) -> bool:
    """Whether the sentence gives the figure asked for: of the metric named, or a count of the thing counted."""
    if any(figure_of(sentence, m) for m in asked.metrics):
        return True
    if asked.counted and _DIGIT.search(_URL.sub("", sentence)):
        return re.search(rf"\b{re.escape(asked.counted[:5])}", sentence, re.IGNORECASE) is not None
    return False


def feature_rows(
    asked: Asked,
    candidates: Sequence[Candidate],
    pool: Sequence[Hit],
    query_terms: set[str],
    meanings: Sequence[float],
    asked_text: str = "",
) -> list[list[float]]:
    """One row of FEATURES per candidate."""
    best_note = pool[0].chunk.note_id if pool else ""
    top_meaning = max(meanings, default=0.0)
    question_words = {w.lower() for w in re.findall(r"[\w-]+", asked_text)}
    count = asked.count or 0
    count_pattern = re.compile(rf"\b({_COUNT_WORDS[count]}|{count})\b", re.IGNORECASE) if 0 < count < len(_COUNT_WORDS) else None
    why = bool(_WHY.search(asked_text))
    thing_patterns = [re.compile(rf"\b{re.escape(w[:-1] if w.endswith('s') else w)}", re.IGNORECASE) for w in asked.thing]
    rows: list[list[float]] = []
    for candidate, meaning in zip(candidates, meanings, strict=True):
        hit = pool[candidate.hit_index]
        sentence = candidate.sentence
        t = traits(sentence, candidate.names)
        new_names = asked.entity and any(n not in question_words for n in t.name_tokens)
        thing_hits = sum(1 for pattern in thing_patterns if pattern.search(candidate.resolved))
        in_context = terms(hit.chunk.context) | terms(candidate.previous)
        rows.append([
            meaning,
            meaning - top_meaning,
            overlap(query_terms, candidate.resolved),
            len(query_terms & in_context) / len(query_terms) if query_terms else 0.0,
            hit.dense,
            max(0.0, 1.0 - candidate.hit_index / PASSAGES),
            1.0 if hit.chunk.note_id == best_note else 0.0,
            1.0 if t.has_number else 0.0,
            1.0 if asked.quantitative and t.has_number else 0.0,
            1.0 if t.has_number and gives_asked_figure(sentence, asked) else 0.0,
            1.0 if asked.comparative and t.comparison else 0.0,
            1.0 if is_reference_section(hit.chunk.section) else 0.0,
            1.0 if len(sentence) < 40 else 0.0,
            min(1.0, len(sentence) / 200),
            1.0 if t.says_name else 0.0,
            1.0 if asked.kind == "name" and t.says_name else 0.0,
            1.0 if asked.kind == "name" and t.naming else 0.0,
            1.0 if asked.kind == "list" and (t.list_item or t.enumerates) else 0.0,
            1.0 if count_pattern is not None and count_pattern.search(sentence) else 0.0,
            1.0 if t.pronoun else 0.0,
            1.0 / (1.0 + hit.chunk.ordinal),
            1.0 if _OVERVIEW.search(hit.chunk.section) else 0.0,
            1.0 if new_names else 0.0,
            thing_hits / len(asked.thing) if asked.thing else 0.0,
            1.0 if asked.expansion and t.spelled_out else 0.0,
            1.0 if t.link else 0.0,
            1.0 if asked.comparative and t.outcome else 0.0,
            1.0 if t.other_work else 0.0,
            1.0 if why and t.reason else 0.0,
            1.0 if asked.entity and t.coined else 0.0,
        ])
    return rows
