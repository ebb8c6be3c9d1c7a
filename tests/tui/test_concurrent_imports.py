"""The heavy imports (numpy, onnxruntime, faiss, textual-image) never run in two threads at once, as the app's start-up would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indexer.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process: the model load, an early question, related notes and the figures' textual-image import
# start together, as the app starts them. Every heavy module's execution is timed, onnxruntime's made slow
# (the loaded machine where two threads once imported numpy at once), and the spans of different threads compared.
SCRIPT = r"""
import importlib.machinery, json, sys, threading, time
from pathlib import Path

HEAVY = {"numpy", "onnxruntime", "faiss", "scipy", "bm25s", "tokenizers", "PIL", "textual_image"}
spans = []

class Timed:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in HEAVY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module
        def exec_module(module):
            start = time.monotonic()
            if name == "onnxruntime":
                time.sleep(0.4)
            try:
                run(module)
            finally:
                spans.append((threading.current_thread().name, name, start, time.monotonic()))
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Timed())
from indexer.knowledge import KnowledgeBase
from tui.widgets import image_view

kb = KnowledgeBase(Path(sys.argv[1]))
errors = []
def call(work):
    def run():
        try:
            work()
        except BaseException as error:
            errors.append(f"{threading.current_thread().name}: {type(error).__name__}: {error}")
    return run

paths = {
    "model": lambda: kb.encoder(),
    "question": lambda: (time.sleep(0.05), kb.ask("how fast is AlphaNet")),
    "related": lambda: (time.sleep(0.05), kb.related("alpha")),
    "figure": lambda: (time.sleep(0.05), image_view.warm_up()),
}
threads = [threading.Thread(target=call(work), name=name) for name, work in paths.items()]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"spans": spans, "errors": errors}))
"""


def overlaps(spans: list[list]) -> list[str]:
    """Pairs of heavy-module executions by different threads that ran at the same time."""
    found = []
    for i, (thread, name, start, end) in enumerate(spans):
        for other, other_name, other_start, other_end in spans[i + 1:]:
            if other != thread and start < other_end and other_start < end:
                found.append(f"{thread}:{name} with {other}:{other_name}")
    return found


def test_heavy_imports_run_one_thread_at_a_time(indexed_notes: Path) -> None:
    KnowledgeBase(indexed_notes)  # the fixture's index is built: the question and related notes read it
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PAPERNOTES_IMAGES": "on"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(indexed_notes)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert not report["errors"]
    names = {name for _, name, _, _ in report["spans"]}
    assert {"numpy", "onnxruntime", "faiss"} <= names  # the imports did happen in this process
    assert not overlaps(report["spans"])
