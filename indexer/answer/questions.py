"""Question types: what a question asks for (a name, metadata, a quantity, a list, a comparison, an explanation).

Each type has its own way to compose an answer (see `composing`). The rules read the question's
first words and the thing it asks about, the way any reader would; they know nothing of the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["name", "metadata", "quantity", "list", "comparison", "explanation"]
KINDS: tuple[Kind, ...] = ("name", "metadata", "quantity", "list", "comparison", "explanation")

_THING = (
    r"(?:method|model|paper|approach|technique|architecture|framework|detector|segmenter|network|"
    r"algorithm|work|system|study|publication|idea|variant|library|tool|benchmark|dataset|encoder|backbone|classifier|"
    r"gan|transformer|agent|generator|metric|detector|pipeline|recipe|scheme|strategy|procedure|solution|task|problem)"
)
_NAME_QUESTION = re.compile(
    rf"^\s*(?:(?:which|what)\s+(?:\w+[\s-]+){{0,3}}?{_THING}s?\b(?!\s+(?:of|does|do|did)\b)|"
    rf"what\s+is\s+(?:the\s+)?name\s+of|name\s+the\s+{_THING}|what\s+(?:is|was)\s+(?:the\s+)?{_THING}\s+called|"
    rf"what\s+(?:is|are)\s+(?:the\s+)?(?:\w+\s+){{0,2}}{_THING}s?\s+(?:that|which|who)\b)",
    re.IGNORECASE,
)
METADATA_FIELDS: dict[str, re.Pattern[str]] = {
    "authors": re.compile(
        r"\bwho\s+(?:wrote|authored|are\s+the\s+authors|is\s+the\s+(?:first\s+|last\s+)?author|made|created|proposed|published)\b|"
        r"\b(?:first|last|lead|senior|corresponding)\s+authors?\b|^\s*(?:list|name|what\s+are|give)\b[^?]{0,20}\bauthors?\b|\bwritten\s+by\b|\bwho\s+(?:are|were)\s+the\s+authors\b",
        re.IGNORECASE,
    ),
    "paper": re.compile(r"\b(arxiv|paper\s+(?:link|url)|link\s+to\s+the\s+paper|where\s+can\s+i\s+(?:read|find)\s+the\s+paper|doi)\b", re.IGNORECASE),
    "code": re.compile(r"\b(code|github|repo|repository|implementation|source\s+code)\b(?!\s+(?:generation|completion))", re.IGNORECASE),
    "demo": re.compile(r"\b(demo|playground|try\s+it\s+online)\b", re.IGNORECASE),
    "venue": re.compile(r"\b(venue|conference|journal|workshop|where\s+was\s+(?:it|\w+)\s+published|published\s+(?:at|in)|appear(?:ed)?\s+(?:at|in)|presented\s+at)\b", re.IGNORECASE),
    "year": re.compile(r"\b(what\s+year|which\s+year|in\s+what\s+year|when\s+was\s+.{0,60}\b(?:published|released|written|presented)|year\s+of\s+publication)\b", re.IGNORECASE),
    "source": re.compile(r"\b(source\s+of\s+(?:the|this)\s+note|tweet|blog\s+post|original\s+(?:post|thread))\b", re.IGNORECASE),
    "award": re.compile(r"\b(award|prize|honou?rable\s+mention|best\s+paper)\b", re.IGNORECASE),
}
"""What a metadata question asks for; one question may ask for several ("year and venue")."""
QUANTITATIVE = re.compile(
    r"\b(how (many|much|long|fast|big|large|small|quick|deep|wide|high|low)|what (accuracy|fraction|share|score|speed|percentage|size|number|ratio|rate)|"
    r"(?-i:m?AP|MAP|mIoU|PQ|FID|BLEU|ROUGE)|accuracy|top-[15]|parameters?|params|fps|latency|speed-?up|throughput|percent(age)?|"
    r"how\s+\w+\s+(?:times|x)\b|what\s+(?:share|fraction|proportion|percentage|ratio)|how\s+long|"
    r"(?:^|,\s*|\band\s+)how\s+well\s+(?:does|do|did|is|are|was|were|can))\b",
    re.IGNORECASE,
)
COMPARISON = re.compile(
    r"\b(best|better|worse|worst|beats?|outperforms?|wins?|higher|lower|most|least|faster|slower|"
    r"stronger|weaker|compared?|comparison|versus|vs\.?|differ(?:s|ence)?|instead\s+of|rather\s+than|unlike)\b",
    re.IGNORECASE,
)
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_LIST_QUESTION = re.compile(
    r"^\s*(?:\w+\s+)?(?:which|what)\s+(?:(?:are|were|is|the|[\w-]+['’]s)\s+){0,3}(two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){0,2}?([\w-]+s)\b|"
    r"\b(list|name|enumerate)\s+(?:all\s+)?the\b|\bwhat\s+are\s+(?:the\s+)?(?:main\s+|key\s+)?(\w+s)\b(?!\s+(?:of|for)\s+(?:a|the)\b)|"
    r"\bwhich\s+(?:\w+\s+)?(?:tasks|datasets|benchmarks|components|parts|stages|steps|modules|losses|contributions|limitations)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|so|then)\b|\b(it|its|it's|they|them|their|this|that|these|those|the model|the paper|the method)\b",
    re.IGNORECASE,
)
_METRICS: dict[str, tuple[str, ...]] = {
    "accuracy": ("accuracy", "top-1", "top-5", "top1", "accurate"),
    "fid": ("fid",), "psnr": ("psnr", "db"), "ssim": ("ssim",), "bleu": ("bleu",), "rouge": ("rouge",),
    "pq": ("pq", "panoptic quality"), "f1": ("f1", "f-score", "f1-score"), "wer": ("wer", "word error rate"),
    "perplexity": ("perplexity", "ppl"), "auc": ("auc", "auroc"), "kid": ("kid",), "lpips": ("lpips",),
    "map": ("map", "ap", "average precision"),
    "miou": ("miou", "iou"),
    "parameters": ("parameters", "params", "parameter", "weights"),
    "speed": ("fps", "ms", "speed", "faster", "slower", "latency", "times", "×", "x", "seconds", "second", "per second", "/s", "throughput", "speedup", "hz", "real-time", "real time"),
    "size": ("million", "billion", "thousand", "images", "pairs", "samples", "tokens", "hours", "examples", "gb", "tb"),
    "share": ("%", "percent", "per cent", "ratio", "fraction", "half", "quarter", "third"),
    "depth": ("layer", "layers", "blocks", "deep", "depth", "stages"),
    "performance": ("accuracy", "top-1", "top-5", "map", "ap", "miou", "iou", "fid", "psnr", "bleu", "f1", "%", "points", "score", "auc"),
    "duration": ("seconds", "second", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "epochs", "steps", "iterations", "ms", "s"),
}
_METRIC_OF = {
    "accuracy": "accuracy", "top-1": "accuracy", "top-5": "accuracy",
    "map": "map", "ap": "map", "miou": "miou", "iou": "miou",
    "fid": "fid", "psnr": "psnr", "ssim": "ssim", "bleu": "bleu", "rouge": "rouge", "pq": "pq", "f1": "f1",
    "wer": "wer", "perplexity": "perplexity", "auc": "auc", "kid": "kid", "lpips": "lpips",
    "parameters": "parameters", "parameter": "parameters", "params": "parameters",
    "fast": "speed", "speed": "speed", "latency": "speed", "fps": "speed", "throughput": "speed", "quick": "speed",
    "speedup": "speed", "speed-up": "speed",
    "share": "share", "fraction": "share", "percentage": "share", "proportion": "share", "ratio": "share", "percent": "share",
}


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kind, the metadata fields, metrics and count it names."""

    kind: Kind
    fields: tuple[str, ...] = ()
    """Metadata fields asked for (authors, year, venue, paper, code, demo, source)."""
    metrics: tuple[str, ...] = ()
    """Kinds of figure asked for (accuracy, map, parameters, speed, ...), each satisfied by METRIC_TERMS."""
    count: int | None = None
    """How many items a list question expects ("which two tasks" → 2)."""
    comparative: bool = False
    quantitative: bool = False
    entity: bool = False
    """It asks "which/what <thing> ...": the answer names something (an algorithm, a dataset, a model)."""
    thing: tuple[str, ...] = ()
    """The words of the thing asked about ("similarity measure" in "What similarity measure does CLIP use?")."""
    expansion: bool = False
    """It asks what an acronym stands for."""
    counted: str | None = None
    """What a "how many X" question counts (its last word, singular): "prompt" in "How many compositional prompts ..."."""


def metric_terms(metric: str) -> tuple[str, ...]:
    """Words or signs that show a sentence gives a figure of kind `metric`."""
    return _METRICS.get(metric, ())


_ENTITY = re.compile(
    r"^\s*(?:(?:in|on|for|with|from|by|of)\s+[^,?]{0,80},\s*)?(?:which|what)\s+(?!(?:is|are|was|were|does|do|did|has|have|had|can|could|would|will|should|kind\s+of\s+(?:results?|performance))\b)((?:[\w-]+\s+){0,3}?[\w-]+)\s+(?:does|do|did|is|are|was|were|has|have|had|can|could|would|will|should|serves?|gives?|makes?|lets?|allows?|is\s+used|are\s+used|[\w-]+s\b|[\w-]+ed\b)",
    re.IGNORECASE,
)
_CALLED = re.compile(r"\b(?:called|named|termed|known\s+as)\b|\bwhat\s+(?:do|does|did)\s+.{0,60}\bcall\b", re.IGNORECASE)
_EXPANSION = re.compile(r"\b(?:stand|stands)\s+for\b|\bshort\s+for\b|\bacronym\b|\babbreviation\b", re.IGNORECASE)
_GENERIC_THING = {"kind", "type", "sort", "one", "thing", "things", "way", "part", "main", "key", "new", "two", "three", "first", "other"}


def asked_thing_words(question: str) -> tuple[str, ...]:
    """The content words of the thing a "which/what <thing>" question asks about."""
    match = _ENTITY.search(question)
    if not match:
        return ()
    words = [w.lower() for w in re.findall(r"[\w-]+", match.group(1))]
    return tuple(w for w in words if w not in _GENERIC_THING and len(w) > 2)


_WORD_METRICS = frozenset({"map", "ap", "pq", "kid", "wer"})
"""Metric acronyms that are also words ("feature map", "kid"): a metric only when written with a capital."""


def _names_metric(word: str, start: int, question: str) -> bool:
    """Whether `word` (at `start`) names a kind of figure.

    "map" is mAP only when cased so ("mAP", "AP"), unless the question uses no capitals at all; a
    capitalised word inside the question is part of a name ("Fast Segment Anything"), not a speed.
    """
    lowered = word.lower()
    if lowered not in _METRIC_OF:
        return False
    if start > 0 and word[0].isupper() and word[1:].islower() and question[:start].strip():
        return False
    return lowered not in _WORD_METRICS or word != lowered or question == question.lower()


def classify(question: str) -> Asked:
    """The kind of a question and what it names; the first matching rule wins: metadata, counted list, name, list, quantity, comparison."""
    text = question.strip()
    quantitative = bool(QUANTITATIVE.search(text))
    comparative = bool(COMPARISON.search(text))
    metrics = tuple(dict.fromkeys(_METRIC_OF[m.group().lower()] for m in re.finditer(r"[\w-]+", text) if _names_metric(m.group(), m.start(), text)))
    if re.search(r"\bhow\s+(?:big|large|many)\b", text, re.IGNORECASE) and not metrics:
        metrics = ("size",) if re.search(r"\b(dataset|data|corpus|images|pairs|trained\s+on)\b", text, re.IGNORECASE) else ()
    if re.search(r"\bhow\s+long\b", text, re.IGNORECASE) and not metrics:
        metrics = ("duration",)
    if re.search(r"\bhow\s+well\s+(?:does|do|did|is|are|was|were|can)\b", text, re.IGNORECASE) and not metrics:
        metrics = ("performance",)  # "how well does it do": a score of any kind (a soft ask: never a reason to refuse)
    if re.search(r"\bhow\s+deep\b", text, re.IGNORECASE) and not metrics:
        metrics = ("depth",)
    if re.match(r"\s*why\b", text, re.IGNORECASE):
        quantitative, metrics = False, ()  # "why doesn't a more accurate teacher ..." asks for a reason
    if _EXPANSION.search(text) and len(question_parts(text)) == 1:
        quantitative, metrics = False, ()  # "what does SSIM stand for?" asks for words, not a figure
    fields = tuple(name for name, pattern in METADATA_FIELDS.items() if pattern.search(text))
    entity = bool(_ENTITY.search(text) or _CALLED.search(text))
    how_many = re.search(r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}?([a-z][\w-]*?)(?:e?s)?\b(?=\s+(?:are|is|do|does|did|was|were|can|in|of|for|does|has|have|to)\b|\s*\?)", text, re.IGNORECASE)
    extra = {
        "entity": entity,
        "thing": asked_thing_words(text),
        "expansion": bool(_EXPANSION.search(text)),
        "counted": how_many.group(1).lower() if how_many else None,
    }
    quantitative = quantitative or bool(metrics)
    if fields and not quantitative:
        return Asked("metadata", fields=fields, comparative=comparative, **extra)
    listed = _LIST_QUESTION.search(text)
    word = (listed.group(1) or "").lower() if listed else ""
    count = _COUNT_WORDS.get(word) or (int(word) if word.isdigit() else None)
    if count and not quantitative:
        return Asked("list", count=count, comparative=comparative, **extra)
    if _NAME_QUESTION.search(text) and not quantitative:
        return Asked("name", comparative=comparative, **extra)
    if listed and not quantitative:
        return Asked("list", comparative=comparative, **extra)
    if quantitative:
        return Asked("quantity", metrics=metrics, comparative=comparative, quantitative=True, **extra)
    if comparative and not re.match(r"\s*why\b", text, re.IGNORECASE):
        return Asked("comparison", comparative=True, **extra)
    return Asked("explanation", **extra)


_SECOND_QUESTION = re.compile(
    r",?\s+(?:and|also|plus)\s+(?=(?:what|which|how|who|whom|where|when|why|does|do|did|is|are|was|were|can|could)\b)|[;?]\s+(?=\w)",
    re.IGNORECASE,
)


def question_parts(question: str) -> tuple[str, ...]:
    """The questions a compound question asks ("What does SAMI stand for, and what is its target?" → two); one part otherwise."""
    parts = [p.strip(" ,;") for p in _SECOND_QUESTION.split(question)]
    parts = [p for p in parts if len(p.split()) >= 3]
    return tuple(parts) if len(parts) > 1 else (question,)


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the previous turn ("how fast is it?")."""
    return bool(_FOLLOW_UP.search(question))
