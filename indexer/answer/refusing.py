"""Refusing: names no note contains, and figures or details the note on the paper doesn't give.

A name counts as known when some note has it in one of the forms people write it in: acronyms
and camel-case names as written ("CLIP" is not "clipping"), with or without a plural "s",
hyphen, space or nothing between parts ("l2-normalised" / "l2 normalized"), British or American
spelling. Person names in the question ("in Smith and Lee's paper") are not checked: notes rarely
record every author.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from indexer.answer.candidates import Candidate
from indexer.answer.features import figure_of
from indexer.answer.questions import Asked
from indexer.fields import note_words
from indexer.lexical import tokenize
from indexer.retrieval import Retriever

MIN_MEANING = 0.30
"""Below this cosine between the question and its closest sentence the notes are about something else:
on both sets every answerable question's closest sentence scores 0.39 or more, off-topic questions
("What is the capital of France?") 0.27 or less (docs/ANSWERS.md)."""
SOFT_METRIC = "performance"
"""The figure "how well" asks for: answered by a score when the note has one, never refused for lack of one."""
MENTION_ROWS = 400
"""At most this many passages are read to check how a name is written; more rows means a common word."""
MENTION_BATCH = 16
"""Passages are read this many at a time, stopping at the first that writes the name."""
_NAME = re.compile(r"\b[A-Za-z]+\d[\w-]*|\b[A-Z][a-z]*[A-Z][\w-]*|(?<=\w )[A-Z][a-z]{2,}(?:-[A-Z]\w*)?\b")
_NAME_NUMBER = re.compile(
    r"\b([A-Z][A-Za-z]+(?:-[A-Z]+)?) (\d+(?:\.\d+)?)\b(?!\s*(?:%|ms|fps|mb|gb|m\b|b\b|k\b|x\b|times|images|masks|epochs|gpus?))",
    re.IGNORECASE,
)
_DESCRIPTIVE_SUFFIX = re.compile(r"-(based|style|like|sized|free|only|level|wise|aware|friendly|scale)$", re.IGNORECASE)
_PERSON_CONTEXT = (
    re.compile(r"\b([A-Z][a-z]+)\s+(?:and|&)\s+([A-Z][a-z]+)['’]s?\b"),
    re.compile(r"\b([A-Z][a-z]+)['’]s\s+(?:\w+\s+)?(?:paper|work|team|group|lab|study|article|preprint|method|model|approach)\b"),
    re.compile(r"\b([A-Z][a-z]+)(?:\s+[A-Z][a-z]+)?\s+et\s+al\b"),
    re.compile(r"\b(?:by|authors?|from)\s+([A-Z][a-z]+)(?:\s+(?:and|&)\s+([A-Z][a-z]+))?\b"),
)
DETAIL_TERMS = (
    "learning rate", "batch size", "weight decay", "optimizer", "optimiser", "momentum", "warmup",
    "warm-up", "dropout", "license", "licence", "random seed",
)
"""Details summaries rarely record: asked for and absent from the note, the answer is a refusal."""
_ASKS_HARDWARE = re.compile(r"\b(?:gpus?|tpus?|hardware|accelerators?|graphics\s+cards?)\b")
"""A question asking what the paper ran on ("what GPU was used to train YOLO9000?")."""
_SAYS_HARDWARE = re.compile(
    r"\b(?:[gt]pus?(?:v\d)?|hardware|accelerators?|graphics\s+cards?|[akhpvt]\d{2,3}s?|rtx|gtx|titan|nvidia|cuda|cpus?|"
    r"machines?|nodes?|devices?|chips?|phones?|laptops?|ipus?|gpu-(?:days?|hours?))\b"
)
"""What a note says when it records the hardware: GPUs and TPUs (also by model: V100, A100, RTX 3090), nodes, devices."""
_HOW = {"fast": "a speed", "quick": "a speed", "long": "a duration", "big": "a size", "large": "a size", "small": "a size", "much": "an amount"}
_ASKED_THING = re.compile(r"^\s*(?:what|which)\s+((?:[\w-]+\s+){0,4}?[\w-]+)\s+(?:does|do|did|is|are|was|were|has|have|had|can|could|would|will)\b", re.IGNORECASE)
_HOW_MANY = re.compile(r"\bhow\s+many\s+((?:[\w-]+\s+){0,2}?[\w-]+)\b", re.IGNORECASE)
_HOW_ADJ = re.compile(r"\bhow\s+(fast|quick|long|big|large|small|much)\b", re.IGNORECASE)


ORGANISATIONS = frozenset({
    "openai", "google", "deepmind", "meta", "facebook", "fair", "microsoft", "nvidia", "apple", "amazon", "ibm",
    "baidu", "alibaba", "tencent", "huawei", "samsung", "anthropic", "stanford", "berkeley", "mit", "cmu", "oxford",
    "cambridge", "tsinghua", "eth", "inria", "adobe", "intel", "uber", "salesforce", "allen", "ai2",
})
"""Labs and companies a question may credit a paper to ("OpenAI's image-text model"): not paper names."""


def person_names(question: str) -> set[str]:
    """Capitalised words the question uses as people's or labs' names (who it credits the paper to)."""
    found: set[str] = {w for w in re.findall(r"[A-Za-z0-9]+", question) if w.lower() in ORGANISATIONS}
    for pattern in _PERSON_CONTEXT:
        for match in pattern.finditer(question):
            found.update(g for g in match.groups() if g)
    return found


def unknown_names(question: str, retriever: Retriever) -> list[str]:
    """Names in the question (model names, acronyms, capitalised words) that no note contains in any usual form."""
    people = person_names(question)
    unknown: list[str] = []
    for match in _NAME.finditer(question):
        raw = match.group(0).strip("-")
        word = _DESCRIPTIVE_SUFFIX.sub("", raw)
        if word in people or len(re.sub(r"[^A-Za-z0-9]", "", word)) < 2:
            continue
        if not any(_known(form, retriever) for form in name_forms(word)):
            unknown.append(word)
    uncased = question == question.lower()
    for match in _NAME_NUMBER.finditer(question):
        name, number = match.group(1), match.group(2)
        cased = name[0].isupper() or (uncased and written_as_name(name, retriever))  # "sam 2" typed for "SAM 2"
        if cased and name not in people and not retriever.index.mentions(f"{name} {number}"):
            unknown.append(f"{name} {number}")
    if uncased:
        unknown += uncased_names(question, retriever)
    return list(dict.fromkeys(unknown))


def written_as_name(word: str, retriever: Retriever) -> bool:
    """Whether the notes write `word` only with capitals ("SAM", never "sam"): a name, however the question is typed.

    Parts of links and file names ("sam-hq", "/sam.md") do not count as the word in lower case.
    """
    terms = tokenize(word)
    rows = retriever.index.lexical.rows_with_all(terms[:1]) if terms else None
    if rows is None or not len(rows):
        return False
    lower = re.compile(rf"(?<![\w/.-]){re.escape(word.lower())}(?![\w/.-])")
    any_case = re.compile(rf"(?<![\w/.-]){re.escape(word)}(?![\w/.-])", re.IGNORECASE)
    seen = False
    for start in range(0, min(len(rows), MENTION_ROWS), MENTION_BATCH):
        for chunk in retriever.index.chunks([int(r) for r in rows[start : start + MENTION_BATCH]]):
            if lower.search(chunk.text):
                return False
            seen = seen or bool(any_case.search(chunk.text))
    return seen


_SUFFIXES = ("'s", "s", "es", "ies", "ed", "d", "ing", "er", "ers", "ly", "ation", "ations", "ness", "ment", "able", "al", "ally")


def uncased_names(question: str, retriever: Retriever) -> list[str]:
    """In a question typed without capitals, the words no note has and no English word is ("mamba", "edgesam").

    Case shows names ("CLIP", "Mamba"); a writer who uses none leaves only this: a word that is
    neither in the notes (nor a word the notes have with another ending) nor, with or without a
    common ending, a whole word of the embedding model's vocabulary is taken for a name. Without
    that vocabulary nothing is checked.
    """
    english = _english_words(retriever)
    if not english:
        return []
    found: list[str] = []
    for word in re.findall(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", question):
        parts = [p for p in word.split("-") if p]
        if len(word) < 4 or all(_is_english(p, english) for p in parts):
            continue
        if any(_known(form, retriever) for form in name_forms(word)) or _note_word_like(word, retriever):
            continue
        found.append(word)
    return found


def _note_word_like(word: str, retriever: Retriever) -> bool:
    """Whether some note has a word starting like `word` but for its last three letters ("annotated" / "annotation")."""
    if len(word) < 8 or "-" in word:
        return False
    stem = tokenize(word[: len(word) - 3])
    return bool(stem) and retriever.index.lexical.knows(stem[0])


def _is_english(word: str, english: frozenset[str]) -> bool:
    if word in english or word.isdigit():
        return True
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if stem in english or stem + "e" in english or (suffix == "ies" and stem + "y" in english) or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english):
                return True
    return False


def _english_words(retriever: Retriever) -> frozenset[str]:
    """Whole words of the embedding model's vocabulary (vocab.txt), empty when the model has none."""
    spec = getattr(retriever.encoder, "spec", None)
    path = getattr(spec, "path", None)
    return _vocabulary(str(path / "vocab.txt")) if path is not None else frozenset()


@lru_cache(maxsize=4)
def _vocabulary(path: str) -> frozenset[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return frozenset(line.strip() for line in handle if line.strip().isalpha() and line.strip().islower())
    except OSError:
        return frozenset()


def name_forms(word: str) -> list[str]:
    """The ways a name may be written: as is, singular, hyphen/space/joined, -ise/-ize."""
    forms = [word]
    stripped = re.sub(r"['’]s$", "", word)
    if stripped != word:
        forms.append(stripped)
    for base in list(forms):
        if len(base) > 3 and base.endswith("es") and base[-3] in "sxz":
            forms.append(base[:-2])
        if len(base) > 2 and base.endswith("s") and not base.endswith("ss"):
            forms.append(base[:-1])
    for base in list(forms):
        if "-" in base:
            forms += [base.replace("-", " "), base.replace("-", "")]
    for base in list(forms):
        swapped = _swap_spelling(base)
        if swapped != base:
            forms.append(swapped)
    return list(dict.fromkeys(f for f in forms if f))


def _swap_spelling(word: str) -> str:
    """British ↔ American -ise/-ize, -isation/-ization, -yse/-yze."""
    if re.search(r"is(e|ed|es|ing|ation|ations|er|ers)\b", word):
        return re.sub(r"is(e|ed|es|ing|ation|ations|er|ers)\b", r"iz\1", word)
    if re.search(r"iz(e|ed|es|ing|ation|ations|er|ers)\b", word):
        return re.sub(r"iz(e|ed|es|ing|ation|ations|er|ers)\b", r"is\1", word)
    return re.sub(r"ys(e|ed|es|ing)\b", r"yz\1", word)


def _is_acronym(word: str) -> bool:
    """All-capital names (CLIP, NMT): their case carries meaning ("CLIP" is not "clip" or "clipping")."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _known(form: str, retriever: Retriever) -> bool:
    """Whether some note has `form`: as a note's name or initials, or in its passages (acronyms case-sensitively)."""
    terms = [t for t in tokenize(form) if t]
    if not terms:
        return True  # only stop words: nothing to check
    if form.lower() in _note_words(retriever.index):
        return True
    lexical = retriever.index.lexical
    compact = re.sub(r"[^a-z0-9]", "", form.lower())
    if not _is_acronym(form):
        words = tokenize(form.replace("-", " "))
        return lexical.knows(compact) or bool(words) and all(lexical.knows(t) for t in words)
    pattern = _form_pattern(form)
    for term in (terms[0], terms[0] + "s"):  # as the keyword index spells it ("SOTS" → "sot"), and its plural ("GPUs")
        rows = lexical.rows_with_all([term])
        if rows is None or not len(rows):
            continue
        for start in range(0, min(len(rows), MENTION_ROWS), MENTION_BATCH):  # most names show in the first batch
            batch = retriever.index.chunks([int(r) for r in rows[start : start + MENTION_BATCH]])
            if any(pattern.search(c.text) or pattern.search(c.context) for c in batch):
                return True
    # "TPU" in "TPUv3", "GPT" in "GPT4": the acronym followed by a version, never by more letters of a word
    return any(lexical.knows(stem + tail) for stem in {compact, terms[0]} for tail in ("v", *"0123456789"))


def _note_words(index: object) -> frozenset[str]:
    """Lowercased words of every note's id, title and aliases, and their initials (`fields.note_words`).

    As the build stored them; else derived once per open index (an index built before they were stored).
    """
    stored = index.note_words() if hasattr(index, "note_words") else None  # type: ignore[attr-defined]
    if stored is not None:
        return stored
    notes = index.notes  # type: ignore[attr-defined]
    key = (id(index), len(notes))
    cached = _NOTE_WORDS.get(key)
    if cached is None:
        cached = note_words(notes.values())
        _NOTE_WORDS.clear()
        _NOTE_WORDS[key] = cached
    return cached


_NOTE_WORDS: dict[tuple[int, int], frozenset[str]] = {}


@lru_cache(maxsize=4096)
def _form_pattern(form: str) -> re.Pattern[str]:
    flags = 0 if _is_acronym(form) else re.IGNORECASE
    body = r"[\s-]?".join(re.escape(part) for part in re.split(r"[\s-]+", form))
    return re.compile(rf"(?<![\w]){body}(?:s|es|['’]s)?(?![a-z])", flags)


def asks_hardware(question: str) -> bool:
    """Whether the question asks what the paper ran on ("what GPU was used", "on how many GPUs")."""
    return bool(_ASKS_HARDWARE.search(question.lower()))


def says_hardware(text: str) -> bool:
    """Whether the text names hardware ("16 V100 GPUs", "one RTX 3090", "20 nodes")."""
    return bool(_SAYS_HARDWARE.search(text.lower()))


def missing_details(question: str, texts: Iterable[str]) -> list[str]:
    """Detail terms (hyperparameters, licences, hardware) the question asks for that the texts never mention."""
    lowered = question.lower()
    asked = [term for term in DETAIL_TERMS if re.search(rf"\b{re.escape(term)}\b", lowered)]
    hardware = bool(_ASKS_HARDWARE.search(lowered))
    if not asked and not hardware:
        return []
    text = " ".join(texts).lower()
    missing = [term for term in asked if not any(re.search(rf"{re.escape(f)}(?![a-z])", text) for f in name_forms(term))]
    return [*missing, "hardware"] if hardware and not _SAYS_HARDWARE.search(text) else missing


def uncovered_figure(asked: Asked, candidates: Sequence[Candidate]) -> bool:
    """A quantity question whose figure no candidate gives (no number, or not of the kind asked)."""
    if asked.kind != "quantity":
        return False
    metrics = [m for m in asked.metrics if m != SOFT_METRIC]
    if asked.metrics and not metrics:
        return False  # "how well does it do?" may be answered in words
    if metrics:
        return not any(figure_of(c.sentence, m) for c in candidates for m in metrics)
    return not any(re.search(r"\d", re.sub(r"https?://\S+", "", c.sentence)) for c in candidates)


def asked_thing(question: str) -> str:
    """What the question asks for, as a noun phrase for a refusal ("an ImageNet accuracy", "the number of parameters")."""
    how_many = _HOW_MANY.search(question)
    if how_many:
        return f"the number of {how_many.group(1)}"
    how = _HOW_ADJ.search(question)
    if how:
        return _HOW[how.group(1).lower()]
    thing = _ASKED_THING.search(question)
    if thing:
        phrase = thing.group(1)
        return f"{'an' if phrase[0].lower() in 'aeiou' else 'a'} {phrase}"
    return "that"


def refusal_reason(unknown: Sequence[str], note_name: str | None, thing: str | None) -> str:
    """The one-line refusal: "No note covers YOLOv8." or "Your note on CLIP doesn't give an ImageNet accuracy."."""
    if unknown:
        listed = " or ".join(unknown[:3])
        return f"No note covers {listed}."
    if note_name and thing:
        return f"Your note on {note_name} doesn't give {thing}."
    return "Not in your notes."
