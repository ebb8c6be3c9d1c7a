"""Hybrid scores: how the dense, BM25, name and field signals of a query's candidates are fused into one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np

DENSE_WEIGHT = 0.65
"""Hybrid score = 0.65 × dense + 0.35 × BM25, each min-max normalised: best of the grid on content/ and
papers_we_read together (bench/tune_retrieval.py, docs/EVALUATION.md); RRF scored lower on both."""
NAME_BOOST = 0.12
"""Added when the question names the note (title or alias that no other note shares); 0.08 scores the
same hit@1 on both sets, 0.12 has the steadier neighbourhood (bench/tune_retrieval.py)."""
TITLE_WEIGHT = 0.05
METADATA_WEIGHT = 0.05
"""× the note's title-field and metadata-field matches (fields.py) with the words of the question
outside the names it contains: a named note has its boost already, and what the question says
besides ("the mobile-friendly SAM") describes the note it is about, which may be another.
Chosen by bench/tune_retrieval.py on both sets (docs/EVALUATION.md); heading weights gained nothing."""


@dataclass(frozen=True)
class Fusion:
    """How a hybrid score is made from the parts of FusionFeatures (chosen on both eval sets: docs/EVALUATION.md)."""

    method: Literal["convex", "rrf"] = "convex"
    dense_weight: float = DENSE_WEIGHT
    """convex: weight of the min-max normalised dense score (BM25 gets the rest)."""
    rrf_k: float = 60.0
    """rrf: the constant k of 1 / (k + rank), ranks taken among the candidates; scaled to 0..1."""
    name_boost: float = NAME_BOOST
    title_weight: float = TITLE_WEIGHT
    """× BM25 of the query over the note's title, short title, aliases and file name (0..1)."""
    heading_weight: float = 0.0
    """× share of the query's terms found in the passage's headings."""
    metadata_weight: float = METADATA_WEIGHT
    """× BM25 of the query over the note's authors, year and tags (0..1)."""
    fields_when_named: bool = True
    """Field weights also when the question names a note (False: the rule before, name boost alone)."""


@dataclass(frozen=True)
class FusionFeatures:
    """The hybrid candidates of one query (chunk rows, ascending) and every score fusion can weigh."""

    rows: np.ndarray
    note_ids: list[str]
    names: tuple[str, ...]
    """Ids of the notes the query names (title or alias no other note shares)."""
    dense: np.ndarray
    lexical: np.ndarray
    named: np.ndarray
    title: np.ndarray
    """Title-field match of the query's words outside the names it contains (0..1); metadata likewise."""
    metadata: np.ndarray
    heading: np.ndarray


def fuse(features: FusionFeatures, fusion: Fusion) -> np.ndarray:
    """Hybrid scores of the candidates: dense and BM25 fused, plus the name boost and the field weights."""
    import numpy as np

    if fusion.method == "rrf":
        def closeness(values: np.ndarray) -> np.ndarray:
            ranks = np.empty(len(values), dtype=np.float32)
            ranks[np.argsort(-values, kind="stable")] = np.arange(1, len(values) + 1)
            return (fusion.rrf_k + 1.0) / (fusion.rrf_k + ranks)

        base = 0.5 * (closeness(features.dense) + closeness(features.lexical))
    else:
        def normalised(values: np.ndarray) -> np.ndarray:
            low, high = float(values.min()), float(values.max())
            return (values - low) / ((high - low) or 1.0)

        base = fusion.dense_weight * normalised(features.dense) + (1.0 - fusion.dense_weight) * normalised(features.lexical)
    if features.names and not fusion.fields_when_named:
        return base + fusion.name_boost * features.named
    return (
        base
        + fusion.name_boost * features.named
        + fusion.title_weight * features.title
        + fusion.heading_weight * features.heading
        + fusion.metadata_weight * features.metadata
    )
