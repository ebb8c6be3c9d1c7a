"""Composing an answer by what was asked: the chosen sentences in reading order, each cited.

- names: the note's naming sentence ("The paper proposes FooNet, ...") leads, then what it does;
- metadata: the note's own metadata lines (see `metadata`);
- quantities: the sentence giving the figure of the kind asked for leads;
- lists: the sentence that introduces them, with the list items under it;
- comparisons: the best sentence that says how the comparison came out leads, then close runners-up;
- explanations: the best sentence and close runners-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.answer.candidates import Candidate, terms
from indexer.answer.features import gives_asked_figure, states_outcome
from indexer.answer.joining import lead_of, may_join, with_antecedents
from indexer.answer.metadata import MetadataLine
from indexer.answer.naming import is_naming_sentence, mentions_name
from indexer.answer.questions import Asked
from indexer.answer.refusing import asks_hardware, says_hardware
from indexer.answer.result import Answer, Citation
from indexer.quotes import clean_sentence
from indexer.retrieval import Hit

MAX_SENTENCES = 3
JOIN_RATIO = 0.5
"""A runner-up joins the answer when its probability is at least this share of the best one's."""
MAX_LIST_ITEMS = 6


def compose(
    asked: Asked,
    question: str,
    scored: list[Candidate],
    every: Sequence[Candidate],
    pool: Sequence[Hit],
    *,
    named: bool,
    covering: Sequence[Candidate] = (),
    across_notes: bool = False,
) -> Answer:
    """The answer quoting the chosen sentences, numbered by passage; `every` is all candidates, shortlisted or not.

    `covering` holds the best sentence for each part of a compound question: each joins the answer
    unless it is in it already (so "What does X stand for, and what is its target?" gets both). `across_notes`: the
    question compares papers it names, so runners-up may come from other notes.
    """
    chosen = with_antecedents(choose(scored, pool, comparative=asked.comparative, across_notes=across_notes), every)
    if asked.comparative and asked.kind not in ("metadata", "list"):
        chosen = _outcome_first(chosen, scored)
    best = chosen[0]
    if asked.kind == "quantity" and not any(gives_asked_figure(c.sentence, asked) for c in chosen):
        giving = [c for c in scored if gives_asked_figure(c.sentence, asked)]
        if giving:
            chosen = [giving[0], *chosen[: MAX_SENTENCES - 1]]
    if asked.kind == "list":
        announcing = [c for c in scored[:12] if asked.count and _says_count(c.sentence, asked.count) and c not in chosen]
        chosen = _with_list_items([*chosen, *announcing[:1]], every, pool, asked.count)[: MAX_SENTENCES + MAX_LIST_ITEMS]
    for candidate in covering:
        if not any(candidate.sentence == c.sentence or similar(candidate.sentence, c.sentence) for c in chosen):
            chosen = [*chosen, candidate]
    ordered = sorted(dict.fromkeys(chosen), key=lambda c: (c.hit_index != best.hit_index, c.hit_index, c.position))
    if asks_hardware(question) and not says_hardware(ordered[0].sentence):  # "what GPUs did DETR need?": the GPUs lead
        saying = next((c for c in scored[: 4 * MAX_SENTENCES] if says_hardware(c.sentence)), None)
        if saying is not None:
            ordered = [saying, *[c for c in ordered if c.sentence != saying.sentence]][:MAX_SENTENCES]
    if asked.kind == "name" and not named:
        lead = _naming_lead(best, every, ordered, pool, {w.lower() for w in re.findall(r"[\w-]+", question)})
        if lead is not None:
            ordered = [lead, *[c for c in ordered if c.sentence != lead.sentence]]
    return _answer(question, [(c.hit_index, c.sentence) for c in ordered], pool, confidence=best.score, kind=asked.kind)


def compose_metadata(question: str, lines: Sequence[MetadataLine], pool: Sequence[Hit]) -> Answer:
    """The note's metadata lines that state what was asked, each cited."""
    return _answer(question, [(m.hit_index, m.text) for m in lines], pool, confidence=1.0, kind="metadata")


def choose(scored: list[Candidate], pool: Sequence[Hit], *, comparative: bool = False, across_notes: bool = False) -> list[Candidate]:
    """The sentence that may lead, plus up to two close runners-up that add to it (`joining.py`)."""
    top = scored[0]
    lead = lead_of(scored, pool, comparative, JOIN_RATIO)
    chosen = [lead]
    for candidate in scored:
        if len(chosen) >= MAX_SENTENCES or candidate.score < top.score * JOIN_RATIO:
            break
        if candidate is lead or any(similar(candidate.sentence, c.sentence) for c in chosen):
            continue
        if may_join(candidate, lead, chosen, pool, across_notes):
            chosen.append(candidate)
    return chosen


def one_per_part(part_scored: Sequence[Sequence[Candidate]]) -> list[Candidate]:
    """A different sentence for each part of a compound question: the surest part chooses first, the others take
    their best sentence not yet chosen (one sentence rarely answers two questions)."""
    taken: list[Candidate] = []
    for scored in sorted((s for s in part_scored if s), key=lambda s: -s[0].score):
        pick = next((c for c in scored if all(c.sentence != t.sentence for t in taken)), None)
        if pick is not None:
            taken.append(pick)
    return taken


def _outcome_first(chosen: list[Candidate], scored: Sequence[Candidate]) -> list[Candidate]:
    """A comparison is answered by how it came out: the best-scored sentence stating an outcome (better, outperforms,
    the best ...) leads, when it scores within JOIN_RATIO of the best; the others follow."""
    best = chosen[0]
    if states_outcome(best.sentence):
        return chosen
    for candidate in scored[: 2 * MAX_SENTENCES]:
        if candidate.score < best.score * JOIN_RATIO:
            break
        if states_outcome(candidate.sentence):
            return [candidate, *[c for c in chosen if c is not candidate]][:MAX_SENTENCES]
    return chosen


def _naming_lead(
    best: Candidate, every: Sequence[Candidate], ordered: Sequence[Candidate], pool: Sequence[Hit], asked_words: set[str]
) -> Candidate | None:
    """What leads a name answer: the sentence naming the note's method, else one saying its name, else its title.

    Nothing is added when the answer already says the note's name.
    """
    short = tuple(n for n in best.names if len(n) <= 30) or best.names[:1]
    short += tuple(_initials(n) for n in short if len(_initials(n)) >= 3)  # "You Only Train Once" is also "YOTO"
    if any(mentions_name(c.sentence, short) for c in ordered if c.names == best.names):
        return None
    same_note = _reading_order([c for c in every if c.names == best.names], pool)
    for candidate in same_note:
        if mentions_name(candidate.sentence, short) and is_naming_sentence(candidate.sentence, short):
            return candidate
    for candidate in same_note:
        if mentions_name(candidate.sentence, short) and not _LINK.search(candidate.sentence):
            return candidate
    first = min((i for i, h in enumerate(pool) if h.chunk.note_id == pool[best.hit_index].chunk.note_id), key=lambda i: pool[i].chunk.ordinal)
    title = pool[first].chunk.title
    named_title = re.match(r"[^\s:]+:", title) is not None  # "SinGAN: Learning a Generative Model ..." says the name
    for candidate in same_note if not named_title else ():  # else the title may not be the method's name: "the authors suggest Greedy InfoMax"
        proposed = _PROPOSES_NAME.search(candidate.sentence)
        if proposed and proposed.group(1).lower() not in asked_words and not _LINK.search(candidate.sentence):
            return candidate
    return Candidate(title, first, -1, title, "", title, best.names, best.score)


_LINK = re.compile(r"https?://")
_PROPOSES_NAME = re.compile(
    r"\b(?:we|they|authors|paper|work|it)\s+(?:\w+\s+)?(?:propose|suggest|introduce|present|call|name|dub)(?:s|d|ed)?\s+"
    r"(?:(?:a|an|the|their|its|new|novel)\s+){0,2}(?:[a-z-]+\s+){0,2}?([A-Z][a-z]*[A-Z0-9][\w-]*|[A-Z][a-z]+(?:\s+[A-Z][\w-]+)+)"
)
"""A sentence introducing a method by a name of its own (camel-case, or two capitalised words)."""


def _initials(name: str) -> str:
    """The capitals of a name's words ("You Only Train Once" → "YOTO"); "" for a one-word name."""
    words = re.findall(r"[A-Za-z][\w-]*", name)
    return "".join(w[0] for w in words) if len(words) >= 2 and all(w[0].isupper() for w in words) else ""


def _reading_order(candidates: Sequence[Candidate], pool: Sequence[Hit]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (pool[c.hit_index].chunk.note_id, pool[c.hit_index].chunk.ordinal, c.position))


def _with_list_items(chosen: list[Candidate], every: Sequence[Candidate], pool: Sequence[Hit], count: int | None) -> list[Candidate]:
    """The chosen sentence that introduces a list ("... consists of 2 parts:") brings what follows it, into the next passage."""
    for anchor in chosen:
        note_id = pool[anchor.hit_index].chunk.note_id
        order = _reading_order([c for c in every if pool[c.hit_index].chunk.note_id == note_id], pool)
        places = [(c.hit_index, c.position) for c in order]
        at = places.index((anchor.hit_index, anchor.position)) if (anchor.hit_index, anchor.position) in places else -1
        if at < 0 or at + 1 >= len(order):
            continue
        following = order[at + 1 :]
        items: list[Candidate] = []
        if not _is_item(anchor.sentence) and _is_item(following[0].sentence):
            for c in following:
                if not _is_item(c.sentence) or len(items) >= MAX_LIST_ITEMS:
                    break
                items.append(c)
        elif anchor.sentence.rstrip().endswith(":") or (count and _says_count(anchor.sentence, count)):
            items = following[: max(1, min(count or 1, MAX_LIST_ITEMS))]
        if items:
            taken = {(c.hit_index, c.position) for c in items}
            rest = [c for c in chosen if c is not anchor and (c.hit_index, c.position) not in taken]
            return [anchor, *items, *rest][: 1 + MAX_LIST_ITEMS]
    return chosen


_COUNTS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _says_count(sentence: str, count: int) -> bool:
    """Whether the sentence announces `count` things ("consists of 2 parts", "two tasks are considered")."""
    word = _COUNTS[count] if count < len(_COUNTS) else str(count)
    return bool(re.search(rf"\b(?:{word}|{count})\s+(?:\w+\s+)?\w+s\b", sentence, re.IGNORECASE))


def _is_item(sentence: str) -> bool:
    return bool(re.match(r"\s*(?:[-*+]|\d+[.)])\s", sentence))


def similar(a: str, b: str) -> bool:
    """Whether two sentences share most of their terms (the second adds little)."""
    ta, tb = terms(a), terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > 0.7


def _answer(question: str, quoted: Sequence[tuple[int, str]], pool: Sequence[Hit], *, confidence: float, kind: str) -> Answer:
    numbers: dict[int, int] = {}
    for hit_index, _ in quoted:
        numbers.setdefault(hit_index, len(numbers) + 1)
    quotes: dict[int, list[str]] = {}
    parts: list[str] = []
    for hit_index, sentence in quoted:
        quotes.setdefault(numbers[hit_index], []).append(sentence)
        parts.append(f"{clean_sentence(sentence)} [{numbers[hit_index]}]")
    citations = citations_of([pool[i] for i in sorted(numbers, key=numbers.__getitem__)], quotes)
    notes = list(dict.fromkeys(c.note for c in citations))
    return Answer(question, " ".join(parts), citations, notes=notes, confidence=confidence, kind=kind)


def citations_of(hits: Sequence[Hit], quotes: dict[int, list[str]]) -> list[Citation]:
    """Numbered citations of `hits` (from 1), with the sentences quoted from each."""
    return [
        Citation(
            number=number,
            note=hit.chunk.note_id,
            title=hit.chunk.title,
            section=hit.chunk.section,
            path=hit.chunk.rel_path,
            lines=(hit.chunk.start_line, hit.chunk.end_line),
            score=hit.score,
            quote=" ".join(quotes.get(number, [])),
            passage=hit.chunk.text,
        )
        for number, hit in enumerate(hits, start=1)
    ]

