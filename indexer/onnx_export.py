"""The ONNX copy of an embedding model: exported once with torch, cached by fingerprint, read without it."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.embedding import INT8_RECIPE
from indexer.errors import ModelError
from indexer.fileio import atomic_write_text, fsync_dir
from indexer.imports import heavy

if TYPE_CHECKING:
    from indexer.embedding import ModelSpec

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
"""Bump when the exported graph changes meaning: older exports are then ignored and redone."""
MODEL_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
META_FILE = "export.json"
"""Written last: an export counts only once this file names it."""
PARITY_MIN = 0.9999
"""Lowest cosine between torch and ONNX embeddings of the check texts that an export may have."""
FUSABLE_TYPES = {"bert", "roberta", "xlm-roberta", "camembert", "mpnet"}
"""`config.model_type`s that onnxruntime's transformer optimizer can fuse (checked by parity anyway)."""
_CHECK_TEXTS = [
    "a",
    "What does MobileSAM distil from SAM's image encoder?",
    "Mask2Former › Method\nMasked attention restricts cross-attention to the foreground of each predicted mask, "
    "which speeds up convergence and improves results on panoptic, instance and semantic segmentation.",
    " ".join(["Long passage that runs past the model's limit, so truncation is exercised too."] * 40),
]


def cache_dir() -> Path:
    """`$PAPERNOTES_CACHE_DIR`, else the platform's cache folder for papernotes."""
    configured = os.environ.get("PAPERNOTES_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    if sys.platform.startswith("linux"):  # what platformdirs answers there, without its import (~4 ms of a cold ask)
        return Path(os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache") / "papernotes"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("papernotes"))


def export_dir(spec: ModelSpec) -> Path:
    """Where the ONNX files of `spec` live: one folder per model fingerprint."""
    return cache_dir() / "onnx" / spec.weights_fingerprint


@dataclass(frozen=True)
class Export:
    """A finished export: the graph file to run and what was recorded when it was made."""

    path: Path
    meta: dict[str, Any]

    @property
    def dimension(self) -> int:
        """Length of the sentence vectors the graph returns."""
        return int(self.meta["dimension"])


def find_export(spec: ModelSpec, precision: str = "fp32") -> Export | None:
    """The finished export of `spec` in `precision` ("fp32" or "int8"), or None."""
    folder = export_dir(spec)
    try:
        meta = json.loads((folder / META_FILE).read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format") != EXPORT_FORMAT or meta.get("fingerprint") != spec.weights_fingerprint:
        return None
    name = meta.get("files", {}).get(precision)
    if not name or not (folder / name).is_file():
        return None
    if precision == "int8" and meta.get("int8_recipe") != INT8_RECIPE:
        return None  # made by an older recipe: quantise again
    return Export(folder / name, meta)


def torch_available() -> bool:
    """Whether an export could run here (torch and sentence-transformers installed), without importing them."""
    return all(importlib.util.find_spec(name) is not None for name in ("torch", "sentence_transformers"))


@contextlib.contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A private temp folder beside the cache entry; removed afterwards whatever happens."""
    import tempfile  # deferred: loading an export writes nothing

    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_model(spec: ModelSpec) -> Export:
    """Export `spec` to ONNX (fp32, attention fused when it keeps parity) and cache it; needs torch.

    Safe to run from two processes at once: each writes its own temp files, then `os.replace`s them.
    """
    started = time.perf_counter()
    if not torch_available():
        raise ModelError(
            f"model {spec.name!r} has no ONNX export yet and torch is not installed to make one",
            "pip install torch sentence-transformers, or set PAPERNOTES_BACKEND=torch",
        )
    folder = export_dir(spec)
    try:
        export = _export(spec, folder)
    except OSError as error:  # an unwritable or full cache folder
        raise ModelError(
            f"cannot write the ONNX export of {spec.name!r} to {folder} ({error.strerror or error})",
            "set PAPERNOTES_CACHE_DIR to a writable folder",
        ) from error
    logger.info("exported %s to %s in %.1f s", spec.name, folder, time.perf_counter() - started)
    return export


def _export(spec: ModelSpec, folder: Path) -> Export:
    """Export, check parity (fused graph first, then plain), and move the winner into `folder`."""
    with _staging(folder) as staging:
        model, tokenizer_inputs, config = _load_torch_model(spec)
        plain = staging / "plain.onnx"
        _torch_export(model, tokenizer_inputs, plain)
        reference = _torch_embeddings(model)
        candidates: list[tuple[str, Path]] = []
        if config.get("model_type") in FUSABLE_TYPES:
            fused = staging / "fused.onnx"
            if _fuse(plain, fused, config):
                candidates.append(("fused", fused))
        candidates.append(("plain", plain))
        for variant, path in candidates:
            cosine = _parity(spec, path, reference)
            logger.info("ONNX export %s: cosine with torch %.6f", variant, cosine)
            if cosine >= PARITY_MIN:
                break
        else:
            raise ModelError(
                f"the ONNX export of {spec.name!r} disagrees with torch (cosine {cosine:.4f})",
                "set PAPERNOTES_BACKEND=torch",
            )
        os.replace(path, folder / MODEL_FILE)
        fsync_dir(folder)
        meta = {
            "format": EXPORT_FORMAT,
            "model_name": spec.name,
            "fingerprint": spec.weights_fingerprint,
            "dimension": int(reference.shape[1]),
            "max_seq_length": spec.max_seq_length,
            "variant": variant,
            "parity_cosine": round(cosine, 7),
            "files": {"fp32": MODEL_FILE},
            "torch": _version("torch"),
            "onnxruntime": _version("onnxruntime"),
            "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        atomic_write_text(folder / META_FILE, json.dumps(meta, indent=2))
    return Export(folder / MODEL_FILE, meta)


def quantize_model(spec: ModelSpec) -> Export:
    """Add an int8 copy (dynamic quantisation of the MatMul weights, per channel) beside the fp32 export.

    Needs the fp32 export and onnxruntime only. Faster but less exact: see docs/PERFORMANCE.md.
    """
    base = find_export(spec) or export_model(spec)
    folder = base.path.parent
    try:
        return _quantize(base, folder)
    except OSError as error:
        raise ModelError(
            f"cannot write the int8 copy of {spec.name!r} to {folder} ({error.strerror or error})",
            "set PAPERNOTES_CACHE_DIR to a writable folder",
        ) from error


def _quantize(base: Export, folder: Path) -> Export:
    """Write the int8 copy of `base` into `folder` and record it."""
    from onnxruntime.quantization import QuantType, quantize_dynamic  # deferred: only for this step

    with _staging(folder) as staging:
        target = staging / INT8_FILE
        quantize_dynamic(
            base.path,
            target,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=first_layer_matmuls(base.path),
            extra_options={"DefaultTensorType": 1},  # FLOAT, for outputs of fused ops shape inference can't type
        )
        os.replace(target, folder / INT8_FILE)
        fsync_dir(folder)
        meta = dict(base.meta)
        meta["files"] = {**meta["files"], "int8": INT8_FILE}
        meta["int8_recipe"] = INT8_RECIPE
        atomic_write_text(folder / META_FILE, json.dumps(meta, indent=2))
    return Export(folder / INT8_FILE, meta)


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def first_layer_matmuls(model_path: Path) -> list[str]:
    """MatMul nodes of the first transformer layer, which int8 leaves in fp32.

    Its rounding errors pass through every later layer: keeping it exact raised the cosine of int8
    to fp32 chunk vectors from 0.9853 to 0.9943 (min; mean 0.9947 to 0.9967) for 8% of the speed,
    the best of the six single layers tried (docs/PERFORMANCE.md). Empty when layers can't be told.
    """
    import re

    import onnx  # deferred: only for this step

    graph = onnx.load(str(model_path), load_external_data=False).graph
    layers: dict[int, list[str]] = {}
    for node in graph.node:
        found = re.search(r"layers?[./_](\d+)/", node.name) if node.op_type == "MatMul" else None
        if found:
            layers.setdefault(int(found.group(1)), []).append(node.name)
    return layers[min(layers)] if layers else []


def _load_torch_model(spec: ModelSpec) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """The sentence-transformers model (eager attention, which exports to a fusable graph),
    example tokenizer inputs, and the transformer's config as a dict."""
    # Deferred: torch and sentence-transformers take seconds to import and only the export needs them.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        heavy("torch", "sentence_transformers")  # one thread at a time (see indexer.imports)
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(
            str(spec.path),
            device="cpu",
            trust_remote_code=False,
            local_files_only=True,
            model_kwargs={"attn_implementation": "eager"},
        )
    except Exception as error:  # any loading failure is the same thing to the user
        raise ModelError(f"cannot load model {spec.name!r} from {spec.path}: {error}") from error
    kinds = [type(module).__name__ for module in model]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k != "Normalize" for k in kinds[2:]):
        raise ModelError(f"model {spec.name!r} ({' → '.join(kinds)}) has modules the ONNX export does not cover")
    model.train(False)  # inference mode
    examples = ["a short text", "a somewhat longer text, so that one row is padded"]
    # sentence-transformers 5.x+ calls it preprocess; older versions, tokenize.
    inputs = model.preprocess(examples) if hasattr(model, "preprocess") else model.tokenize(examples)
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in inputs]
    return model, {n: inputs[n] for n in names}, model[0].auto_model.config.to_dict()


def _torch_export(model: Any, inputs: dict[str, Any], target: Path) -> None:
    """Trace transformer + pooling into an ONNX graph with dynamic batch and sequence axes."""
    import torch

    class SentenceGraph(torch.nn.Module):
        """The transformer and its pooling, with keyword inputs, as one traceable module."""

        def __init__(self) -> None:
            super().__init__()
            self.transformer = model[0].auto_model
            self.pooling = model[1]

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
            extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            tokens = self.transformer(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]
            features = {"token_embeddings": tokens, "attention_mask": attention_mask}
            return self.pooling(features)["sentence_embedding"]

    names = list(inputs)
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["sentence_embedding"] = {0: "batch"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent Python branches
        torch.onnx.export(
            SentenceGraph().train(False),
            tuple(inputs[n] for n in names),
            str(target),
            dynamo=False,
            external_data=False,
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes=axes,
            opset_version=17,
            do_constant_folding=True,
        )


def _torch_embeddings(model: Any) -> Any:
    import numpy as np

    vectors = model.encode(_CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def _fuse(source: Path, target: Path, config: dict[str, Any]) -> bool:
    """Fuse attention, layer norms and GELU with onnxruntime's transformer optimizer; False when it can't."""
    try:
        from onnxruntime.transformers import optimizer

        for name in ("onnxruntime.transformers", "fusion_base", "onnx_model", "onnx_model_bert"):
            logging.getLogger(name).setLevel(logging.ERROR)
        fused = optimizer.optimize_model(
            str(source),
            model_type="bert",
            num_heads=int(config.get("num_attention_heads", 0)),
            hidden_size=int(config.get("hidden_size", 0)),
            opt_level=0,  # python fusions only: the file stays portable across CPUs
        )
        fused.save_model_to_file(str(target))
        return True
    except Exception as error:  # the plain graph is still a correct export
        logger.info("attention fusion failed, keeping the plain graph: %s", error)
        return False


def _parity(spec: ModelSpec, path: Path, reference: Any) -> float:
    """Lowest cosine between the graph's embeddings (through OnnxEncoder) and torch's."""
    from indexer.embedding import OnnxEncoder

    encoder = OnnxEncoder(spec, path)
    vectors = encoder.encode_documents(_CHECK_TEXTS)
    return float((vectors * reference).sum(axis=1).min())
