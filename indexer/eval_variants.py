"""Robustness of answers to how a question is typed: every question re-asked in mechanical variants.

People type the same question in many ways: with a greeting or a request in front ("quick:",
"can you tell me"), a thank-you after, all in lower case, without the question mark. None of that
changes what is asked, so none of it should change the answer. `evaluate_variants` re-asks a
question file in each variant and scores it like the original (`indexer.evaluation.evaluate`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from indexer.evaluation import EvalResult, Question, evaluate
from indexer.knowledge import KnowledgeBase
from indexer.retrieval import Mode

PREFIXES = ("quick: ", "Hey, ", "Can you tell me ", "I wonder ")
"""Framings put in front, one per question in turn (so every framing meets every kind of question)."""
SUFFIXES = (" thanks", ", in one line", " Thank you!", " please")
"""Framings put after the question, in turn."""


def _lower_first(question: str) -> str:
    """`question` with its first letter lower-cased, unless the first word is a name ("CLIP", "ViT")."""
    first = question.split(" ", 1)[0]
    if len(first) > 1 and any(ch.isupper() for ch in first[1:]):
        return question
    return question[:1].lower() + question[1:]


def _prefixed(question: str, number: int) -> str:
    prefix = PREFIXES[number % len(PREFIXES)]
    return prefix + _lower_first(question)


def _suffixed(question: str, number: int) -> str:
    return question.rstrip() + SUFFIXES[number % len(SUFFIXES)]


VARIANTS: dict[str, Callable[[str, int], str]] = {
    "prefix": _prefixed,
    "suffix": _suffixed,
    "lower-case": lambda question, _: question.lower(),
    "no question mark": lambda question, _: question.rstrip().rstrip("?").rstrip(),
}
"""Each variant as a function of the question and its number in the file."""


def variant_questions(questions: Sequence[Question], variant: str) -> list[Question]:
    """The question file re-typed in `variant` (ids, notes and keys unchanged)."""
    make = VARIANTS[variant]
    return [replace(q, question=make(q.question, number)) for number, q in enumerate(questions)]


def evaluate_variants(kb: KnowledgeBase, questions: Sequence[Question], *, mode: Mode = "hybrid") -> list[tuple[str, EvalResult]]:
    """The originals' scores, then each variant's, in VARIANTS order."""
    found = [("as written", evaluate(kb, questions, mode=mode))]
    for variant in VARIANTS:
        found.append((variant, evaluate(kb, variant_questions(questions, variant), mode=mode)))
    return found


def variants_table(sets: Sequence[tuple[str, Sequence[tuple[str, EvalResult]]]]) -> str:
    """A Markdown table: per set and variant, retrieval (hit@1, MRR), facts held, unanswerables refused, answerables refused."""
    lines = [
        "| set | typed | hit@1 | MRR | answer holds the fact | unanswerable refused | answerable refused |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, results in sets:
        for variant, r in results:
            lines.append(
                f"| {name} | {variant} | {r.hit_at_1:.3f} | {r.mrr:.3f} | {r.key_rate:.3f} | "
                f"{r.refused_unanswerable} / {r.unanswerable} | {r.false_refusals} / {r.answerable} |"
            )
    return "\n".join(lines)
