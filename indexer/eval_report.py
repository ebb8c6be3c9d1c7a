"""Markdown evaluation reports: several question sets side by side, each set's full table, and the misses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.evaluation import MODE_LABELS, EvalResult, format_table
from indexer.fileio import atomic_write_text

COLUMNS_EXPLAINED = """\
What the columns mean: hit@k / MRR rank the expected note among the notes of the 10 passages
retrieved; *answer has key* is the share of answerable questions whose answer contains every key
fact; *unanswerable refused* counts the questions about papers or details not in the notes that
were refused; *false refusals* are answerable questions that were refused. The baseline ranks notes
only (no answers). Latency is the whole answer (retrieval + sentence choice), warm, on this
machine under the other work running on it."""


@dataclass(frozen=True)
class SetResults:
    """One question set's results, every mode."""

    name: str
    notes: str
    """What the notes are, in words (`the shipped content/`, ...)."""
    results: Sequence[EvalResult]


def side_by_side(sets: Sequence[SetResults]) -> str:
    """One row per mode, the main scores of every set next to each other."""
    modes = list(dict.fromkeys(r.mode for s in sets for r in s.results))
    headers = ["mode"] + [f"{s.name}: {h}" for s in sets for h in ("hit@1", "MRR", "has key", "refused", "false ref.")]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for mode in modes:
        cells = [MODE_LABELS.get(mode, mode)]
        for found in sets:
            r = next((x for x in found.results if x.mode == mode), None)
            if r is None:
                cells += ["·"] * 5
            elif r.retrieval_only:
                cells += [f"{r.hit_at_1:.3f}", f"{r.mrr:.3f}", "—", "—", "—"]
            else:
                cells += [
                    f"{r.hit_at_1:.3f}", f"{r.mrr:.3f}", f"{r.key_rate:.3f}",
                    f"{r.refused_unanswerable} / {r.unanswerable}", f"{r.false_refusals} / {r.answerable}",
                ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(found: SetResults) -> list[str]:
    """The hybrid mode's answerable questions with a wrong first note or a missing key, one line each."""
    lines: list[str] = []
    for result in found.results:
        if result.mode != "hybrid":
            continue
        for f in result.failures():
            got = f.ranked_notes[0] if f.ranked_notes else "nothing"
            first = "right note" if got == f.expected else f"first note `{got}`"
            lines.append(f"- `{f.id}`: expected `{f.expected}`, {first}, keys found: {f.has_keys}")
    return lines


def write_report(path: Path, sets: Sequence[SetResults], *, command: str, sections: Sequence[str] = ()) -> None:
    """Write an EVALUATION.md-style report: the sets side by side, each set's table, `sections`, the misses."""
    body = ["# Evaluation", "", f"Regenerate with `{command}`.", "Model: the packaged all-MiniLM-L6-v2; extractive answers.", ""]
    if len(sets) > 1:
        body += [side_by_side(sets), ""]
    for found in sets:
        body += [f"### {found.name} ({found.notes})", "", format_table(found.results), ""]
    body += [COLUMNS_EXPLAINED, ""]
    for section in sections:
        body += [section.rstrip(), ""]
    for found in sets:
        lines = misses(found)
        if lines:
            body += [f"## Misses on {found.name} (hybrid)", "", *lines, ""]
    atomic_write_text(path, "\n".join(body))
