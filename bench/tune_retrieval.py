"""Choose hybrid fusion on both evaluation sets together: a grid over fusion, name boost and field weights.

    python -m bench.tune_retrieval [--collection DIR] [--top N]

For every answerable question of both sets the candidates and their scores are computed once
(`Retriever.features`); each setting of `indexer.retrieval.Fusion` then only re-weighs them. The
choice maximises the worse set's *steady* hit@1 (the lowest of the setting and its neighbours on
each weight's grid axis, so that no choice sits on a one-value spike), then the summed steady
hit@1, then the worse and the summed hit@1, then the summed MRR; a tie goes
to the setting with fewer extra weights, then to the one closest to the setting before
(REFERENCE). The
report also shows what each set scores with the setting chosen on the other set alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from bench import arguments, report, table
from bench.eval_sets import EvalSet, eval_sets
from indexer.retrieval import Fusion, FusionFeatures, fuse

RESULTS = 10
"""Chunks looked at per question, as `papernotes eval` does."""


@dataclass(frozen=True)
class Scored:
    """One setting's scores on each set (name → (hit@1, MRR))."""

    fusion: Fusion
    by_set: dict[str, tuple[float, float]]
    steady: dict[str, float]
    """Per set, the worst hit@1 of this setting and its neighbours on every weight's grid axis."""

    def key(self, names: Sequence[str]) -> tuple[float, ...]:
        steady = [self.steady[n] for n in names]
        hits = [self.by_set[n][0] for n in names]
        mrrs = [self.by_set[n][1] for n in names]
        extras = sum(1 for w in (self.fusion.title_weight, self.fusion.heading_weight, self.fusion.metadata_weight) if w)
        return (min(steady), sum(steady), min(hits), sum(hits), sum(mrrs), -extras, -_distance(self.fusion))


AXES = ("dense_weight", "rrf_k", "name_boost", "title_weight", "heading_weight", "metadata_weight")


def _with_steadiness(raw: dict[Fusion, dict[str, tuple[float, float]]], names: Sequence[str]) -> list[Scored]:
    """Score each setting by its own hit@1 and by the worst of its grid neighbours (a choice must not sit on a spike)."""
    values = {axis: sorted({getattr(f, axis) for f in raw}) for axis in AXES}
    scored = []
    for fusion, by_set in raw.items():
        around = [fusion]
        for axis in AXES:
            grid_values = values[axis]
            i = grid_values.index(getattr(fusion, axis))
            around += [replace(fusion, **{axis: grid_values[j]}) for j in (i - 1, i + 1) if 0 <= j < len(grid_values)]
        steady = {n: min(raw[f][n][0] for f in around if f in raw) for n in names}
        scored.append(Scored(fusion, by_set, steady))
    return scored


REFERENCE = Fusion(method="convex", dense_weight=0.65, name_boost=0.08, title_weight=0.05, heading_weight=0.0, metadata_weight=0.05)
"""The setting before this grid: ties go to the setting closest to it."""
BEFORE = replace(REFERENCE, fields_when_named=False)
"""The setting and rule before this grid: field weights only when the question names no note."""


def _distance(fusion: Fusion) -> float:
    default = REFERENCE
    if fusion.method != default.method:
        return 1.0 + abs(fusion.name_boost - default.name_boost)
    return sum(
        abs(getattr(fusion, f.name) - getattr(default, f.name)) for f in fields(Fusion) if f.name not in ("method", "fields_when_named")
    )


def grid() -> list[Fusion]:
    """Convex mixes and RRF constants × name boosts × title, heading and metadata weights."""
    bases = [Fusion(method="convex", dense_weight=w) for w in (0.5, 0.6, 0.65, 0.7, 0.8, 0.9)]
    bases += [Fusion(method="rrf", rrf_k=k) for k in (5.0, 20.0, 60.0)]
    return [
        replace(base, name_boost=boost, title_weight=title, heading_weight=heading, metadata_weight=meta)
        for base, boost, title, heading, meta in itertools.product(
            bases, (0.0, 0.04, 0.08, 0.12, 0.2), (0.0, 0.05, 0.1, 0.2), (0.0, 0.05, 0.1), (0.0, 0.03, 0.05, 0.1)
        )
    ]


def prepared(found: EvalSet) -> list[tuple[str, FusionFeatures | None]]:
    """(expected note id, candidates) for every answerable question of a set."""
    retriever = found.kb.retriever()
    resolve = {n.id.lower(): n.id for n in retriever.index.notes.values()}
    return [
        (resolve[q.note.lower()], retriever.features(q.question))
        for q in found.questions
        if q.note
    ]


def score(fusion: Fusion, questions: list[tuple[str, FusionFeatures | None]]) -> tuple[float, float]:
    """hit@1 and MRR of the notes ranked by `fusion`."""
    import numpy as np

    hits = reciprocal = 0.0
    for expected, features in questions:
        if features is None:
            continue
        order = np.argsort(-fuse(features, fusion), kind="stable")[:RESULTS]
        ranked = list(dict.fromkeys(features.note_ids[i] for i in order))
        if expected in ranked:
            position = ranked.index(expected) + 1
            hits += position == 1
            reciprocal += 1.0 / position
    n = max(1, len(questions))
    return hits / n, reciprocal / n


def describe(fusion: Fusion) -> str:
    """A short label of a setting."""
    base = f"convex {fusion.dense_weight:g}" if fusion.method == "convex" else f"RRF k={fusion.rrf_k:g}"
    return (
        f"{base}, name {fusion.name_boost:g}, title {fusion.title_weight:g}, "
        f"heading {fusion.heading_weight:g}, meta {fusion.metadata_weight:g}"
    )


def tuning_table(sets: Sequence[EvalSet], top: int = 12) -> str:
    """The grid's result: current defaults, the best settings, each method's best, and the cross-set choices."""
    names = [s.name for s in sets]
    questions = {s.name: prepared(s) for s in sets}
    scored = _with_steadiness({f: {n: score(f, questions[n]) for n in names} for f in grid()}, names)
    best = sorted(scored, key=lambda s: s.key(names), reverse=True)
    current = next(s for s in scored if s.fusion == Fusion())
    before = Scored(BEFORE, {n: score(BEFORE, questions[n]) for n in names}, {n: float("nan") for n in names})
    without = replace(best[0].fusion, fields_when_named=False)
    best_without = Scored(without, {n: score(without, questions[n]) for n in names}, {n: float("nan") for n in names})

    def row(label: str, s: Scored) -> list[object]:
        def steady(n: str) -> str:
            return "—" if s.steady[n] != s.steady[n] else f"{s.steady[n]:.3f}"  # NaN: a setting off the grid

        return [label, describe(s.fusion)] + [f"{s.by_set[n][0]:.3f} / {s.by_set[n][1]:.3f} ({steady(n)})" for n in names]

    headers = ["", "setting", *(f"{n} hit@1 / MRR (steady hit@1)" for n in names)]
    rows = [row("before (fields only when no note is named)", before), row("current defaults", current)]
    rows += [row(f"#{i}", s) for i, s in enumerate(best[:top], start=1)]
    for method in ("convex", "rrf"):
        family = [s for s in best if s.fusion.method == method]
        rows.append(row(f"best {method}", family[0]))
    rows.append(row("#1, fields only when no note is named", best_without))
    for meta in (0.03, 0.1):
        near = replace(best[0].fusion, metadata_weight=meta)
        rows.append(row(f"#1 with meta {meta:g}", next(s for s in scored if s.fusion == near)))
    for name in names:
        alone = max(scored, key=lambda s, n=name: s.key([n]))
        rows.append(row(f"chosen on {name} alone", alone))
    counts = ", ".join(f"{n}: {len(questions[n])} questions" for n in names)
    return table(headers, rows) + f"\n\n{len(scored)} settings; {counts}."


def main(argv: Sequence[str] | None = None) -> str:
    """Run the grid, print and return the tables."""

    def extra(parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--collection", type=Path, default=None)
        parser.add_argument("--top", type=int, default=12)

    args = arguments(__doc__.splitlines()[0], extra, argv)
    return report("Retrieval fusion chosen on both sets", tuning_table(eval_sets(args.collection), args.top))


if __name__ == "__main__":
    main()
