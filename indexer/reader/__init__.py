"""Optional generative answers: a local causal LM rewrites the cited passages, and every sentence is checked.

Read in order: `models` (finding, converting and running the model), `prompt` (what it is asked),
`grounding` (which generated sentences the passages support, and the fallback to the extractive answer).
"""

from __future__ import annotations

from indexer.reader.grounding import (
    MIN_SUPPORT,
    DroppedSentence,
    ReaderResult,
    check_sentences,
    ground,
    grounded_answer,
    unsupported_reason,
)
from indexer.reader.models import (
    CACHE_FORMAT,
    CACHE_META,
    SMOLLM2,
    SMOLLM2_PACKAGE,
    THREADS,
    GenerativeReader,
    ReaderSpec,
    TokenCallback,
    converted_dir,
    resolve_reader,
)
from indexer.reader.prompt import (
    MAX_PASSAGE_CHARS,
    MAX_PASSAGES,
    SYSTEM_PROMPT,
    build_prompt,
    format_passages,
)

__all__ = [
    "CACHE_FORMAT", "CACHE_META", "MAX_PASSAGES", "MAX_PASSAGE_CHARS", "MIN_SUPPORT", "SMOLLM2",
    "SMOLLM2_PACKAGE", "SYSTEM_PROMPT", "THREADS", "DroppedSentence", "GenerativeReader", "ReaderResult",
    "ReaderSpec", "TokenCallback", "build_prompt", "check_sentences", "converted_dir", "format_passages",
    "ground", "grounded_answer", "resolve_reader", "unsupported_reason",
]
