"""The reader's prompt: the numbered passages and the instructions, in the model's chat template."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from indexer.answer import Citation

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

MAX_PASSAGES = 3
"""Passages given to the model: a 135M model gets worse with more (docs/READER.md)."""
MAX_PASSAGE_CHARS = 1200
"""Each passage is cut to this many characters, keeping the prompt (and its prefill time) small."""
SYSTEM_PROMPT = (
    "You answer questions about research papers using only the numbered passages you are given. "
    "Answer in one to three short sentences. End each sentence with the number of the passage it "
    "comes from in brackets, like [1]. Copy names and numbers exactly from the passages."
)


# ----------------------------------------------------------------------------------------------
# The prompt


def format_passages(citations: Sequence[Citation], *, limit: int = MAX_PASSAGES) -> str:
    """`[n] Title › Section: passage` lines, numbered as the citations are."""
    blocks = []
    for citation in list(citations)[:limit]:
        text = " ".join(citation.passage.split())
        if len(text) > MAX_PASSAGE_CHARS:
            text = text[:MAX_PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
        heading = f"{citation.title} › {citation.section}" if citation.section else citation.title
        blocks.append(f"[{citation.number}] {heading}: {text}")
    return "\n\n".join(blocks)


def build_prompt(question: str, citations: Sequence[Citation], tokenizer: Any) -> str:
    """The chat-templated prompt, or a plain one for tokenizers without a chat template."""
    passages = format_passages(citations)
    user = f"Passages:\n\n{passages}\n\nQuestion: {' '.join(question.split())}"
    if has_chat_template(tokenizer):
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return f"{SYSTEM_PROMPT}\n\n{user}\nAnswer:"


def has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


