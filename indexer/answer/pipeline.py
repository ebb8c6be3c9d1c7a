"""The answer pipeline: classify the question, retrieve, gather candidates, score them, refuse or compose."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexer.answer.candidates import (
    PASSAGES,
    SHORTLIST,
    Candidate,
    candidates_of,
    gather_pool,
    shortlist,
)
from indexer.answer.code_lines import without_code_lines
from indexer.answer.composing import citations_of, compose, compose_metadata, one_per_part
from indexer.answer.definition import asked_name, defined_note, defining
from indexer.answer.expansion import asked_acronym, spelling_out, title_spelling
from indexer.answer.features import _initials_spell, feature_rows
from indexer.answer.follow_up import Reading, in_context, read_question
from indexer.answer.links import asks_for_link, without_link_lines
from indexer.answer.metadata import metadata_lines
from indexer.answer.naming import note_names, short_name
from indexer.answer.questions import Asked, classify, question_parts
from indexer.answer.refusing import (
    MIN_MEANING,
    asked_thing,
    missing_details,
    refusal_reason,
    uncovered_figure,
    unknown_names,
)
from indexer.answer.result import Answer
from indexer.answer.scoping import not_about, note_ref, outside_scope
from indexer.answer.scoring import score_candidates
from indexer.chunking import ABOUT_SECTION
from indexer.framing import strip_framing
from indexer.lexical import tokenize
from indexer.retrieval import Hit, Mode, Retriever
from indexer.store import StoredNote

logger = logging.getLogger(__name__)

MAX_COMPARED = 3
"""At most this many notes a comparison names are read (each brings its passages and its best sentence)."""


@dataclass
class Evidence:
    """What the pipeline gathered for a question before deciding: kept for fitting and inspection."""

    asked: Asked
    pool: list[Hit]
    focus: str
    """The note the answer is about: the one the question names, else the best passage's."""
    named: bool
    every: list[Candidate]
    shortlisted: list[Candidate]
    rows: list[list[float]]
    part_rows: list[list[list[float]]]
    """For a compound question ("What does X stand for, and what is its target?"), the rows for each part asked."""
    compared: tuple[str, ...] = ()
    """The notes a comparison names ("How does MobileSAM compare with FastSAM?"): each one's best sentence joins the answer."""
    spelled: tuple[Candidate, ...] = ()
    """For "What does X stand for?": the sentences spelling X out, the focus note's first."""
    defined: tuple[Candidate, ...] = ()
    """For "What is X?" with X a note's own name: its defining sentence and the one after it (`definition.py`)."""


def answer_question(
    question: str,
    retriever: Retriever,
    *,
    mode: Mode = "hybrid",
    scope: Sequence[str] | None = None,
    previous: Answer | None = None,
    threshold: float = MIN_MEANING,
    open_note: str | None = None,
) -> Answer:
    """Answer `question` from the notes with cited sentences, or refuse and say what is missing.

    Conversational framing ("quick:", "can you tell me", "thanks") is removed first (`indexer.framing`).
    """
    typed = strip_framing(question)
    reading = read_question(typed, previous, retriever, scope, open_note)  # "how fast is it?" after DETR: "how fast is DETR?"
    question = reading.question
    outside = outside_scope(question, retriever, scope)
    answer = None
    if outside:  # asked of one note, about another: answered only from what that note says about it
        answer = not_about(question, classify(question), retriever, scope or (), outside)
    if answer is None:
        answer = _answer(question, retriever, mode=mode, scope=scope, reading=reading, threshold=threshold)
        answer.outside_scope = [note_ref(question, retriever, note_id) for note_id in outside]
    again = in_context(typed, previous, retriever, scope, open_note) if answer.refused and question == typed and not outside else None
    if again is not None:  # "how many images are needed" after DreamBooth: nothing answers it alone, DreamBooth's note may
        retried = _answer(again.question, retriever, mode=mode, scope=scope, reading=again, threshold=threshold)
        if not retried.refused:
            question, answer = again.question, retried
    answer.question, answer.read_as = typed, (question if question != typed else None)
    return answer


def _answer(
    question: str,
    retriever: Retriever,
    *,
    mode: Mode,
    scope: Sequence[str] | None,
    reading: Reading,
    threshold: float,
) -> Answer:
    unknown = unknown_names(question, retriever)
    evidence = gather(question, retriever, mode=mode, scope=scope, reading=reading)
    if evidence is None:
        return Answer(question, None, [], reason=refusal_reason(unknown, None, None))
    asked, pool, focus = evidence.asked, evidence.pool, evidence.focus
    note = retriever.index.notes.get(focus)
    about_focus = evidence.named or (scope is not None and focus in scope)  # a refusal names the note asked of
    note_name = short_name(note) if note is not None and about_focus else None

    def refuse(reason: str, confidence: float = 0.0) -> Answer:
        logger.debug("refused %r: %s", question, reason)
        return Answer(question, None, [], closest=citations_of(pool[:3], {}), confidence=confidence, kind=asked.kind, reason=reason)

    if unknown:
        return refuse(refusal_reason(unknown, None, None))
    mentioned = _only_mentioned(question, retriever, focus) if asked.kind == "metadata" and scope is None else None
    if mentioned:  # "who wrote GPT-4?" where a note only uses GPT-4: that note's authors are not GPT-4's
        return refuse(f"No note is about {mentioned}; your notes only mention it.")
    if asked.kind == "metadata":
        lines = metadata_lines(asked.fields, pool, focus, retriever.index.root)
        if not lines and pool[0].chunk.note_id != focus:  # the note named may be a part ("the SAM with a TinyViT encoder")
            lines = metadata_lines(asked.fields, pool, pool[0].chunk.note_id, retriever.index.root)
        if lines:
            return compose_metadata(question, lines, pool)
    in_focus = [c for c in evidence.every if pool[c.hit_index].chunk.note_id == focus] or evidence.every
    details = missing_details(question, [pool[i].chunk.text for i in range(len(pool)) if pool[i].chunk.note_id == focus])
    literal = evidence.spelled or evidence.defined  # literal evidence, whatever its cosine
    if details and not literal:
        return refuse(refusal_reason([], note_name, f"the {details[0]}") if note_name else refusal_reason([], None, None))
    if uncovered_figure(asked, in_focus if evidence.named else evidence.every) and not literal:
        return refuse(refusal_reason([], note_name, asked_thing(question)) if note_name else refusal_reason([], None, None))
    acronym = asked_acronym(question) if asked.expansion else None
    if acronym and not evidence.spelled and not evidence.part_rows and note is not None and _own_name(acronym, note, retriever):
        return refuse(f"Your note on {acronym} doesn't say what {acronym} stands for.")  # its own name, never spelled out
    scored = score_candidates(evidence.shortlisted, evidence.rows)
    confidence = scored[0].score if scored else 0.0
    if evidence.spelled:  # the sentence spelling out the acronym asked about leads, whatever its cosine
        lead = replace(evidence.spelled[0], score=max(confidence, 0.5))
        scored = [lead, *[c for c in scored if c.sentence != lead.sentence]] if evidence.part_rows else [lead]  # alone, unless more is asked
    elif evidence.defined:  # "What is SinGAN?": the note's defining sentence leads, with the one after it
        scored = [replace(c, score=max(confidence, 0.5)) for c in evidence.defined]
    closest_meaning = max((row[0] for row in evidence.rows), default=0.0)
    if not scored or (mode != "lexical" and closest_meaning < threshold and not literal):
        return refuse(refusal_reason([], note_name, asked_thing(question)), confidence)
    covering = one_per_part([score_candidates(evidence.shortlisted, rows) for rows in evidence.part_rows])
    covering += best_of_each(scored, pool, evidence.compared)
    across = asked.comparative and len(retriever.notes_called(question)) >= 2  # "FastSAM compared with SAM": both notes' sentences
    return compose(asked, question, scored, evidence.every, pool, named=evidence.named, covering=covering, across_notes=across)


def builds_on(question: str, note_id: str, named: str, retriever: Retriever) -> bool:
    """Whether note `note_id`'s title or aliases contain the name by which `question` names the note `named`: a
    derivative ("Cycle-Dehaze: Enhanced CycleGAN" for "what loss does CycleGAN use?"), whose passages say the
    name more often than the original's do. The question is about the original: its passages lead."""
    if note_id == named or note_id not in retriever.index.notes:
        return False
    note = retriever.index.notes[note_id]
    names = " | ".join([note.title, *(str(a) for a in note.meta.get("aliases", []) or [])]).lower()
    used = {question.lower()[a:b] for a, b, n in retriever.name_spans(question) if n == named}
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", names) for name in used)


_WHO_WROTE = re.compile(
    r"^\s*(?:who\s+(?:wrote|authored|made|created|developed|published)|who\s+are\s+the\s+authors\s+of|"
    r"when\s+was|what\s+year\s+was|where\s+was)\s+(?:the\s+)?(?P<name>[^\s?]+?)(?:\s+paper)?(?:\s+(?:written|published|released))?\s*\??\s*$",
    re.IGNORECASE,
)


def _only_mentioned(question: str, retriever: Retriever, focus: str) -> str | None:
    """The one-word name a paper's-details question asks about ("who wrote GPT-4?") when no note goes by it, else None."""
    match = _WHO_WROTE.match(question)
    name = match.group("name").strip("\"'“”‘’") if match else ""
    if not re.search(r"[A-Z].*[A-Z0-9]|\d", name):  # a name as papers write them (GPT-4, YOLOv9), not a word
        return None
    if retriever.notes_called(name) or defined_note(name, retriever, focus):
        return None
    stems = {re.sub(r"[\W_]+", "", note_id.rsplit("/", 1)[-1].lower()) for note_id in retriever.index.notes}
    return None if re.sub(r"[\W_]+", "", name.lower()) in stems else name  # "StyleGAN" is how style_GAN.md is said


def _own_name(name: str, note: StoredNote, retriever: Retriever) -> bool:
    """Whether `name` is one of the note's own names ("DINOv2" of the DINOv2 note), not a term it uses."""
    rest = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", note.title, flags=re.IGNORECASE).strip(" :-–—")
    if _initials_spell(re.sub(r"[^A-Za-z]", "", name), rest):  # "FFA-Net" of "Feature Fusion Attention Network ...": the title spells it
        return False
    return name.lower() in {n.lower() for n in note_names(note)} or name.lower() in retriever.names_of(note.id)


def best_of_each(scored: Sequence[Candidate], pool: Sequence[Hit], notes: Sequence[str]) -> list[Candidate]:
    """The best-scored sentence of each of `notes` (a comparison's sides), in the order the question names them."""
    best: list[Candidate] = []
    for note_id in notes:
        pick = next((c for c in scored if pool[c.hit_index].chunk.note_id == note_id), None)
        if pick is not None:
            best.append(pick)
    return best


def gather(
    question: str,
    retriever: Retriever,
    *,
    mode: Mode = "hybrid",
    scope: Sequence[str] | None = None,
    reading: Reading | None = None,
) -> Evidence | None:
    """Retrieve for `question` and build the scored-to-be candidates with their feature rows; None when nothing matches.

    `reading`: how a follow-up was read (`follow_up.read_question`): the notes it is taken to be about.
    """
    reading = reading or Reading(question)
    named_notes = list(dict.fromkeys([*retriever.named_notes(question), *reading.about]))
    query_vector = retriever.embed(question) if mode != "lexical" else None
    hits = retriever.search(question, k=8, mode=mode, scope=scope, query_vector=query_vector, about=reading.about)
    if not hits:
        return None
    top = hits[:PASSAGES]
    named = [n for n in named_notes if scope is None or n in scope]
    focus = named[0] if named else top[0].chunk.note_id
    if focus not in {h.chunk.note_id for h in top}:
        focus = top[0].chunk.note_id
    if (reading.about and focus == reading.about[0]) or builds_on(question, top[0].chunk.note_id, focus, retriever):
        top = sorted(top, key=lambda h: h.chunk.note_id != focus)  # the paper asked about leads (a follow-up's, an original's)
    asked = classify(question)
    if asked.kind == "metadata" and not named:  # a paper's own details: of the note called by its own name, even a family's ("SAM")
        called = [n for n in retriever.notes_called(question) if scope is None or n in scope]
        focus = called[0] if called else focus
    name = asked_name(question) if asked.kind == "explanation" and scope is None else None
    defined = defined_note(name, retriever, focus) if name else None
    focus = defined or focus
    compared = tuple(named[:MAX_COMPARED]) if asked.comparative and asked.kind != "metadata" and len(named) >= 2 else ()
    pool = gather_pool(top, retriever, query_vector, focus)
    for other in compared:  # a comparison reads every note it names, not only the first
        if other != focus:
            pool += gather_pool(top, retriever, query_vector, other)[len(top) :]
    query_terms = set(tokenize(question))
    every = _candidates(question, asked, pool, retriever)
    acronym = asked_acronym(question) if asked.expansion else None
    spelled = spelling_out(acronym, every, pool, focus) if acronym else []
    if acronym and not spelled:  # the acronym may be spelled out elsewhere in the notes of the top passages
        for other in dict.fromkeys(h.chunk.note_id for h in top):
            if other != focus:
                pool += gather_pool(top, retriever, query_vector, other)[len(top) :]
        every = _candidates(question, asked, pool, retriever)
        spelled = spelling_out(acronym, every, pool, focus)
    titled = title_spelling(acronym, pool, focus) if acronym and not spelled else None
    spelled = [titled] if titled is not None else spelled  # "You Only Train Once" is what YOTO stands for
    definition = defining(every, pool, focus) if defined else []
    shortlisted = shortlist(every, pool, query_terms)
    for note_id in compared:  # ... and shortlists each one's most promising sentences
        own = shortlist([c for c in every if pool[c.hit_index].chunk.note_id == note_id], pool, query_terms, size=SHORTLIST // 4)
        shortlisted += [c for c in own if c not in shortlisted]
    parts = question_parts(question)
    part_rows: list[list[list[float]]] = []
    if query_vector is not None and shortlisted:
        vectors = retriever.sentence_vectors([c.embed_text for c in shortlisted])
        meanings = [float(v) for v in vectors @ query_vector]
        for part in parts if len(parts) > 1 else ():  # each part scored on its own (one more query vector per part)
            part_meanings = [float(v) for v in vectors @ retriever.embed(part)]
            part_rows.append(feature_rows(classify(part), shortlisted, pool, set(tokenize(part)), part_meanings, part))
    else:  # lexical mode: word overlap stands in for meaning
        from indexer.answer.candidates import overlap

        meanings = [overlap(query_terms, c.resolved) for c in shortlisted]
    rows = feature_rows(asked, shortlisted, pool, query_terms, meanings, question)
    return Evidence(asked, pool, focus, bool(named) and focus in named, every, shortlisted, rows, part_rows, compared, tuple(spelled), tuple(definition))


def _candidates(question: str, asked: Asked, pool: list[Hit], retriever: Retriever) -> list[Candidate]:
    """Every quotable sentence of the pool; a line that is only a link only for a question asking for one."""
    every = candidates_of(pool, retriever)
    if asked.kind not in ("metadata", "name") and not asked.expansion:  # "Tags: ...", "Also known as ...": labels, not answers
        every = [c for c in every if pool[c.hit_index].chunk.section != ABOUT_SECTION] or every
    every = without_code_lines(every, pool, retriever.index.root)  # "def step(x):" is code, not what the note says
    return every if asks_for_link(question, asked) else without_link_lines(every, pool, retriever.index.root)
