"""Fit the answer-sentence scorer (indexer/answer/weights.py) on labelled sentences from both evaluation sets.

    python scripts/fit_answer_model.py [--write] [--eval]

A candidate sentence is labelled 1 when it holds one of its question's keys (the facts the answer
must contain) and 0 otherwise; only answerable questions count, and only their shortlisted
candidates (what the scorer sees at question time). The model is a logistic regression (numpy,
Newton steps, L2 penalty) over `indexer.answer.features.FEATURES`, each standardised. Reported:
five-fold held-apart scores (folds by question, so no question is both fitted and scored), each set
scored by a model fitted on the other alone, and with --eval the full `papernotes eval` figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from indexer.answer import pipeline, scoring  # noqa: E402
from indexer.answer.features import FEATURES  # noqa: E402
from indexer.evaluation import Question, evaluate, load_questions  # noqa: E402
from indexer.knowledge import KnowledgeBase  # noqa: E402

_LINK = re.compile(r"https?://")
"""Link lines are left out of fitting: a URL holding a name is not a sentence that answers."""
L2 = 1.0
"""Penalty on the standardised coefficients (as a count of pseudo-rows); 0.3-3 fit equally well held apart."""
POSITIVE_WEIGHT_CAP = 10.0


@dataclass
class Labelled:
    """The feature rows and labels of one question's shortlisted candidates."""

    set_name: str
    question: str
    qid: str
    rows: np.ndarray
    labels: np.ndarray


def collect(kb: KnowledgeBase, questions: list[Question], set_name: str) -> list[Labelled]:
    """Labelled candidate rows for every answerable question whose right note is in the pool."""
    retriever = kb.retriever()
    found: list[Labelled] = []
    for q in questions:
        if not q.note or not q.keys:
            continue
        evidence = pipeline.gather(q.question, retriever)
        if evidence is None or not evidence.rows:
            continue
        keep = [i for i, c in enumerate(evidence.shortlisted) if not _LINK.search(c.sentence)]
        labels = np.array([1.0 if any(k.lower() in evidence.shortlisted[i].sentence.lower() for k in q.keys) else 0.0 for i in keep])
        rows = np.asarray([evidence.rows[i] for i in keep], dtype=np.float64)
        found.append(Labelled(set_name, q.question, q.id, rows, labels))
    return found


def fit(items: list[Labelled], l2: float = L2) -> dict[str, object]:
    """Logistic regression on the rows of `items` (positives up-weighted to balance the classes)."""
    x = np.vstack([i.rows for i in items])
    y = np.concatenate([i.labels for i in items])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    positive = max(1.0, y.sum())
    weight = np.where(y > 0, min(POSITIVE_WEIGHT_CAP, (len(y) - positive) / positive), 1.0)
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (weight * (p - y)) + penalty * beta
        hessian = (z * (weight * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return {
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in beta[1:]],
        "intercept": round(float(beta[0]), 6),
    }


def top1(items: list[Labelled], model: dict[str, object]) -> float:
    """Share of questions whose highest-scored candidate holds a key (of those where some candidate does)."""
    m = scoring.load_model(model)
    usable = [i for i in items if i.labels.any()]
    hits = sum(1 for i in usable if i.labels[int(np.argmax([m.logit(r) for r in i.rows]))] > 0)
    return hits / max(1, len(usable))


def folds(items: list[Labelled], k: int = 5) -> list[tuple[list[Labelled], list[Labelled]]]:
    """k train/held-apart splits by question (a stable hash of the question id)."""
    def fold(i: Labelled) -> int:
        return int(hashlib.sha256(f"{i.set_name}/{i.qid}".encode()).hexdigest(), 16) % k

    return [([i for i in items if fold(i) != f], [i for i in items if fold(i) == f]) for f in range(k)]


def write_weights(model: dict[str, object], report: str) -> None:
    """indexer/answer/weights.py with the model and how it was measured."""
    body = [
        '"""Fitted coefficients of the answer-sentence scorer (written by scripts/fit_answer_model.py; do not edit by hand).',
        "",
        *report.strip().splitlines(),
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "MODEL: dict[str, object] = {",
    ]
    for key in ("features", "mean", "scale", "coef", "intercept"):
        body.append(f"    {key!r}: {model[key]!r},".replace("'", '"'))
    body.append("}")
    (REPO / "indexer" / "answer" / "weights.py").write_text("\n".join(body) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write indexer/answer/weights.py")
    parser.add_argument("--eval", action="store_true", help="also run the full evaluation with each model")
    parser.add_argument("--collection", type=Path, default=Path(os.environ.get("PAPERNOTES_SHARED_CORPORA", REPO.parent / "shared" / "corpora")) / "papers_we_read")
    parser.add_argument("--collection-notes", type=Path, default=None, help="where to import the collection (default: the eval cache)")
    args = parser.parse_args()

    from indexer.eval_collection import import_collection

    sets = {
        "content": (KnowledgeBase(REPO / "content"), load_questions(REPO / "tests" / "eval" / "questions.jsonl")),
        "papers_we_read": (
            KnowledgeBase(import_collection(args.collection, args.collection_notes)),
            load_questions(REPO / "tests" / "eval" / "papers_we_read.jsonl"),
        ),
    }
    for kb, _ in sets.values():
        kb.build()
    scoring.use_model(None)
    items = {name: collect(kb, qs, name) for name, (kb, qs) in sets.items()}
    union = [i for group in items.values() for i in group]
    lines = []
    for name, group in items.items():
        rows = sum(len(i.labels) for i in group)
        positives = int(sum(i.labels.sum() for i in group))
        reachable = sum(1 for i in group if i.labels.any())
        lines.append(f"{name}: {len(group)} questions, {rows} candidate sentences, {positives} hold a key; {reachable} questions have one in the shortlist")
    held = {name: [] for name in items}
    for train, test in folds(union):
        model = fit(train)
        for name in items:
            part = [i for i in test if i.set_name == name]
            if part:
                held[name].append((top1(part, model), len(part)))
    for name, scores in held.items():
        total = sum(n for _, n in scores)
        lines.append(f"held apart (5 folds by question), best sentence holds a key: {name} {sum(s * n for s, n in scores) / max(1, total):.3f}")
    models = {"both": fit(union), **{f"only {name}": fit(group) for name, group in items.items()}}
    for label, model in models.items():
        scores = ", ".join(f"{name} {top1(group, model):.3f}" for name, group in items.items())
        lines.append(f"fitted on {label}: best sentence holds a key on {scores}")
    report = "\n".join(lines)
    print(report)
    if args.write:
        write_weights(models["both"], report)
    if args.eval:
        for label, model in models.items():
            scoring.use_model(scoring.load_model(model))
            for name, (kb, qs) in sets.items():
                r = evaluate(kb, qs)
                print(
                    f"eval model={label:>20} set={name:>15}: hit@1 {r.hit_at_1:.3f} key {r.key_rate:.3f} "
                    f"refused {r.refused_unanswerable}/{r.unanswerable} false {r.false_refusals}/{r.answerable} p50 {r.latency_p50_ms:.0f} ms"
                )
        scoring.use_model(None)


if __name__ == "__main__":
    main()
