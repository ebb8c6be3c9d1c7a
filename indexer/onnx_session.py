"""The encoder's onnxruntime session, opened from a copy of the export whose weights are mapped, not parsed.

An export keeps its ~90 MB of weights inside the protobuf, which onnxruntime parses and copies on
every start: ~0.2 s of a cold `papernotes ask` (idle, 2 cores). The same graph saved by
onnxruntime with its weights in a separate file opens in ~0.06 s (the file is memory-mapped). The
copy is the graph as exported (saved with graph optimisations off) and runs with the same session
options as the export, so its vectors are the export's bit for bit; that is checked on probe inputs
before the copy is used at all (docs/PERFORMANCE.md, "Cold ask").

Copies live beside the export in `mapped/<model file stem>/`: a folder per copy named by the
source file's SHA-256 and the onnxruntime version that wrote it, and `current.json`, written last
(atomically), naming the folder, the source's stat and the copy's file stats. A process trusts the
copy only while the source's stat, the copy's stats and the onnxruntime version all still match;
it falls back to the export itself when the copy is missing, stale or fails to load, and then
makes the copy again (once, ~0.5 s) unless the cache cannot be written.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.fileio import atomic_write_text, fsync_dir

if TYPE_CHECKING:
    import onnxruntime as ort

logger = logging.getLogger(__name__)

COPY_FORMAT = 1
"""Bump when the copy's layout changes: older pointers are then ignored and the copy made again."""
FOLDER = "mapped"
WEIGHTS_FILE = "weights.bin"
POINTER_FILE = "current.json"
"""Names the copy in use; written last, atomically."""
MIN_EXTERNAL_BYTES = 1024
"""Tensors at least this big go to the weights file (every weight matrix; small constants stay inline)."""
_PROBE_IDS = ([101, 2054, 2515, 4684, 102], [101, 7592, 1010, 2088, 999, 2023, 2003, 1037, 3231, 102])
"""Token ids run through both sessions before a copy is committed (any ids below the vocabulary size work)."""


def open_session(model_path: Path, options: ort.SessionOptions) -> tuple[ort.InferenceSession, Path]:
    """A session for `model_path` and the file it was made from: the mapped copy when one is current,
    else `model_path` itself (then the copy is made for the next start).

    `$PAPERNOTES_ONNX_MAPPED=0` always uses `model_path`. Errors loading `model_path` itself
    propagate (the caller names the file); a bad copy never does.
    """
    import onnxruntime as ort

    if os.environ.get("PAPERNOTES_ONNX_MAPPED", "").strip() == "0":
        return ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"]), model_path
    state, copy = copy_state(model_path)
    if copy is not None:
        try:
            return ort.InferenceSession(str(copy), options, providers=["CPUExecutionProvider"]), copy
        except Exception as error:  # a damaged copy: the export still works
            logger.warning("ignoring the mapped copy of %s (%s); using the export", model_path.name, error)
            discard(model_path)
            state = "missing"
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    if state == "missing":
        try:
            write_copy(model_path, session)
        except Exception as error:  # best effort: an unwritable cache only costs each start ~0.15 s
            logger.info("no mapped copy of %s: %s", model_path.name, error)
    return session, model_path


def copy_state(model_path: Path) -> tuple[str, Path | None]:
    """("current", the copy's graph file) while its pointer matches the source, the copy and onnxruntime;
    ("unusable", None) when a copy of this very source failed its check; else ("missing", None)."""
    import onnxruntime as ort

    try:
        pointer = json.loads(_pointer(model_path).read_text())
        if pointer.get("format") != COPY_FORMAT or pointer.get("onnxruntime") != ort.__version__:
            return "missing", None
        if pointer.get("source") != _stat(model_path):
            return "missing", None
        if pointer.get("unusable"):
            return "unusable", None
        folder = _home(model_path) / str(pointer["folder"])
        files = pointer["files"]
        if not isinstance(files, dict) or set(files) != {model_path.name, WEIGHTS_FILE}:
            return "missing", None
        if any(_stat(folder / name) != recorded for name, recorded in files.items()):
            return "missing", None
    except (OSError, ValueError, KeyError, TypeError):
        return "missing", None
    return "current", folder / model_path.name


def write_copy(model_path: Path, source: ort.InferenceSession) -> Path | None:
    """Save `model_path` with its weights in their own file, check it against `source`, and point to it.

    A copy whose outputs differ from `source` is deleted and the pointer says so (not tried again for
    this source file and onnxruntime version); then None.
    """
    import tempfile  # deferred, as this runs once per model file

    import onnxruntime as ort

    home = _home(model_path)
    home.mkdir(parents=True, exist_ok=True)
    digest = _sha256(model_path)
    name = f"{digest[:16]}-ort{ort.__version__}"
    pointer: dict[str, Any] = {"format": COPY_FORMAT, "onnxruntime": ort.__version__, "source": _stat(model_path), "sha256": digest}
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=home))
    try:
        target = staging / model_path.name
        saver = ort.SessionOptions()
        saver.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # the graph as exported
        saver.log_severity_level = 3
        saver.optimized_model_filepath = str(target)
        saver.add_session_config_entry("session.optimized_model_external_initializers_file_name", WEIGHTS_FILE)
        saver.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", str(MIN_EXTERNAL_BYTES))
        ort.InferenceSession(str(model_path), saver, providers=["CPUExecutionProvider"])
        for file in (target, staging / WEIGHTS_FILE):
            _fsync(file)
        copy = ort.InferenceSession(str(target), _options_like(source), providers=["CPUExecutionProvider"])
        if not _same_outputs(source, copy):
            shutil.rmtree(staging, ignore_errors=True)
            atomic_write_text(_pointer(model_path), json.dumps({**pointer, "unusable": "outputs differ from the export's"}, indent=2))
            logger.warning("the mapped copy of %s gave other vectors; using the export", model_path.name)
            return None
        del copy
        folder = home / f"{name}-{os.getpid()}{staging.name.rsplit('.', 1)[-1]}"
        os.rename(staging, folder)
        fsync_dir(home)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pointer["folder"] = folder.name
    pointer["files"] = {model_path.name: _stat(folder / model_path.name), WEIGHTS_FILE: _stat(folder / WEIGHTS_FILE)}
    atomic_write_text(_pointer(model_path), json.dumps(pointer, indent=2))
    _remove_others(model_path, keep=folder.name)
    return folder / model_path.name


def discard(model_path: Path) -> None:
    """Forget the mapped copy of `model_path` (the next start makes it again)."""
    try:
        _pointer(model_path).unlink(missing_ok=True)
    except OSError:
        pass
    _remove_others(model_path, keep=None)


def _home(model_path: Path) -> Path:
    """The folder holding `model_path`'s copies and pointer: `mapped/<model file stem>/` beside it."""
    return model_path.parent / FOLDER / model_path.stem


def _pointer(model_path: Path) -> Path:
    return _home(model_path) / POINTER_FILE


def _stat(path: Path) -> list[int]:
    """What identifies a file's contents without reading them: size, mtime (ns), inode."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _options_like(session: ort.InferenceSession) -> ort.SessionOptions:
    """Session options equal to those `session` was created with (as far as results depend on them)."""
    import onnxruntime as ort

    given = session.get_session_options()
    options = ort.SessionOptions()
    options.graph_optimization_level = given.graph_optimization_level
    options.intra_op_num_threads = given.intra_op_num_threads
    options.inter_op_num_threads = given.inter_op_num_threads
    options.execution_mode = given.execution_mode
    options.log_severity_level = 3
    return options


def _same_outputs(first: ort.InferenceSession, second: ort.InferenceSession) -> bool:
    """Whether both sessions give bit-identical outputs on the probe inputs."""
    import numpy as np

    width = max(len(row) for row in _PROBE_IDS)
    ids = np.zeros((len(_PROBE_IDS), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for r, row in enumerate(_PROBE_IDS):
        ids[r, : len(row)] = row
        mask[r, : len(row)] = 1
    feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    names = [i.name for i in first.get_inputs()]
    if names != [i.name for i in second.get_inputs()] or not set(names) <= set(feeds):
        return False
    inputs = {name: feeds[name] for name in names}
    return all(np.array_equal(a, b) for a, b in zip(first.run(None, inputs), second.run(None, inputs), strict=True))


def _remove_others(model_path: Path, keep: str | None) -> None:
    """Delete finished copies of `model_path` other than `keep` (a process that has one mapped keeps it)."""
    try:
        entries = list(_home(model_path).iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith(".") and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)
