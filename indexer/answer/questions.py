"""Question types: what a question asks for (a quantity, a comparison, metadata) and whether it follows up."""

from __future__ import annotations

import re

QUANTITATIVE = re.compile(
    r"\b(how (many|much|long|fast|big|large|small|quick)|what (accuracy|fraction|share|score|speed|percentage|size)|"
    r"m?AP|mIoU|accuracy|parameters?|fps|latency|speed|faster|slower|smaller|percent)\b",
    re.IGNORECASE,
)
COMPARISON = re.compile(
    r"\b(best|better|worse|worst|beats?|outperforms?|wins?|higher|lower|most|least|faster|slower|"
    r"stronger|weaker|compared?|versus|vs\.?)\b",
    re.IGNORECASE,
)
METADATA_QUESTION = re.compile(
    r"\b(who|authors?|wrote|written|link|code|github|repo|repository|year|published|when|demo|arxiv|source|tweet)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|so|then)\b|\b(it|its|it's|they|them|their|this|that|these|those|the model|the paper|the method)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the previous turn ("how fast is it?")."""
    return bool(_FOLLOW_UP.search(question))
