"""Conversational framing around a question ("quick:", "hey,", "can you tell me", "thanks"), removed before it is read.

People wrap questions in words that ask nothing: a greeting, a politeness, a request for brevity,
a thank-you. Left in, they are read as part of what is asked ("quick" as a speed, "Hey" as a
name no note has). `strip_framing` removes them from the start and the end only, never from the
middle, keeps the rest as typed (case, punctuation) and is idempotent. Words that carry meaning
for a follow-up ("so", "and", "also", "what about") are kept.
"""

from __future__ import annotations

import re

_GREETING = r"(?:hey(?:\s+there)?|hi(?:\s+there)?|hello|yo|ok(?:ay)?|um+|uh+|hmm+)"
_BREVITY = r"(?:(?:real\s+)?quick(?:\s+question)?|quickly|question|q|briefly|in\s+short|short\s+answer|tl;?dr|eli5|in\s+(?:one|a|1)\s+(?:line|sentence|word))"
_ASKING = r"(?=(?:what|which|who|whom|whose|where|when|why|how|if|whether|is|are|was|were|does|do|did|can|could|the|a|an)\b)"
_REQUEST = (
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:(?:tell|show|remind)\s+me|explain(?:\s+to\s+me)?|say|find\s+out|check)|"
    r"(?:please\s+)?(?:tell|remind)\s+me|do\s+you\s+know|any\s+idea|"
    r"i\s+(?:wonder(?:ed)?|was\s+wondering|(?:would|'d)\s+like\s+to\s+know|want\s+to\s+know|need\s+to\s+know)|"
    r"i'm\s+(?:wondering|curious)|i\s+am\s+(?:wondering|curious))"
)
_LEAD = re.compile(
    rf"^\s*(?:(?:{_GREETING}|{_BREVITY})(?:\s*[:,!.]+|\s+[\-–—]+)\s*|(?:hey|hi|hello|yo)\s+(?=\w)|(?:please|pls|plz|kindly)\b[\s,:]*|{_REQUEST}[\s,:]+{_ASKING})",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"(?:[\s,;:.!?\-–—]*\b(?:thanks?(?:\s+(?:a\s+lot|so\s+much|in\s+advance))?|thank\s+you(?:\s+(?:so\s+much|very\s+much))?|thx|cheers|please|pls|plz)|"
    r"[\s]*[,;:.!?\-–—]+\s*(?:briefly|in\s+short|tl;?dr|eli5|short\s+answer|(?:in\s+)?(?:one|a|1)\s+(?:line|sentence|word)(?:\s+answer)?)|"
    r"\s*[:;]-?[)(D])[\s.!]*$",
    re.IGNORECASE,
)
_END = re.compile(r"[?!.]+\s*$")


def strip_framing(text: str) -> str:
    """`text` without leading and trailing framing ("quick: what is X? thanks" → "what is X?"); as typed otherwise."""
    question = " ".join(text.split())
    for _ in range(4):  # framings stack: "hey, quick question: can you tell me ..."
        stripped = _LEAD.sub("", question, count=1)
        if stripped == question or not stripped.strip(" ?!."):
            break
        question = stripped
    for _ in range(4):
        mark = "?" if "?" in question else ""
        body = _END.sub("", question)
        stripped = _TAIL.sub("", body)
        if stripped == body or not stripped.strip(" ?!."):
            break
        question = _END.sub("", stripped.rstrip(" ,;:-–—")) + mark
    question = re.sub(r"\s+([?!.,])", r"\1", question).strip()
    return question or " ".join(text.split())
