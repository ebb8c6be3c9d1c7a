"""The CLI's import and watch: the seed page imports and is indexed; a watched folder catches up."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from indexer.knowledge import KnowledgeBase

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def papernotes(*args: str, timeout: float = 300, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args], capture_output=True, text=True, timeout=timeout, input=stdin
    )


def test_import_then_index_then_ask(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    run = papernotes("import", str(FIXTURES / "streamlit" / "MobileSAM.py"), "--notes", str(notes))
    assert run.returncode == 0, run.stderr
    assert "imported 1" in run.stdout
    again = papernotes("import", str(FIXTURES / "streamlit" / "MobileSAM.py"), "--notes", str(notes))
    assert "imported 0" in again.stdout and "unchanged 1" in again.stdout
    listed = json.loads(papernotes("list", "--json", "--notes", str(notes)).stdout)
    assert listed[0]["id"] == "mobilesam" and listed[0]["next"] == "oneformer"
    asked = papernotes("ask", "which distillation worked best?", "--json", "--notes", str(notes))
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "decoupled" in (answer["answer"] or "").lower()


def test_index_watch_picks_up_a_new_note(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy2(Path(__file__).resolve().parents[2] / "content" / "sam.md", notes / "sam.md")
    watcher = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "index", "--watch", "--notes", str(notes)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        kb = KnowledgeBase(notes)
        while not kb.status().up_to_date and time.monotonic() < deadline:
            time.sleep(0.5)
        (notes / "zebra.md").write_text("# Zebra Net\n\nZebraNet segments zebra stripes with 99 layers.\n")
        assert not kb.status().up_to_date
        while time.monotonic() < deadline and not kb.status().up_to_date:
            time.sleep(0.5)
        assert kb.status().up_to_date, "the watcher did not index the new note"
        assert kb.ask("How many layers does ZebraNet use?").citations[0].note == "zebra"
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
