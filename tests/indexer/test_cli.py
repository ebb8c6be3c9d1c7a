"""CLI options shared by every command: accepted before or after the command's name; --precision."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.cli import _parser, main
from indexer.knowledge import KnowledgeBase
from tests.conftest import REPO


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A notes folder with one note, which is not the shipped content/."""
    folder = tmp_path / "my-notes"
    folder.mkdir()
    (folder / "zebra.md").write_text("# Zebra Net\n\nZebraNet segments zebra stripes with 99 layers.\n")
    return folder


@pytest.mark.parametrize("before", [True, False], ids=["before-command", "after-command"])
def test_notes_option_is_used_before_or_after_the_command(
    notes: Path, before: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAPERNOTES_NOTES", raising=False)
    argv = ["--notes", str(notes), "list", "--json"] if before else ["list", "--json", "--notes", str(notes)]
    assert main(argv) == 0
    assert '"id": "zebra"' in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["--notes", "N", "--model", "M", "--reranker", "R", "--precision", "int8", "-v", "index"],
        ["index", "--notes", "N", "--model", "M", "--reranker", "R", "--precision", "int8", "-v"],
        ["--notes", "N", "-v", "index", "--model", "M", "--reranker", "R", "--precision", "int8"],
    ],
    ids=["before", "after", "split"],
)
def test_every_common_option_survives_the_subcommand(argv: list[str]) -> None:
    args = _parser().parse_args(argv)
    assert args.command == "index"
    assert (args.notes, args.model, args.reranker, args.precision, args.verbose) == (Path("N"), "M", "R", "int8", True)


def test_common_options_default_when_not_given() -> None:
    for argv in ([], ["list"]):
        args = _parser().parse_args(argv)
        assert (args.notes, args.model, args.reranker, args.precision, args.verbose) == (None, None, None, None, False)


def test_an_option_after_the_command_wins_over_one_before() -> None:
    args = _parser().parse_args(["--notes", "first", "list", "--notes", "second"])
    assert args.notes == Path("second")


@pytest.mark.parametrize("argv", [["--precision", "fp16", "list"], ["list", "--precision", "fp16"]])
def test_an_unknown_precision_is_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "--precision" in capsys.readouterr().err


def test_knowledge_base_passes_its_precision_to_the_model(notes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERNOTES_PRECISION", raising=False)
    assert KnowledgeBase(notes, precision="int8").spec.precision == "int8"
    assert KnowledgeBase(notes).spec.precision == "fp32"
    monkeypatch.setenv("PAPERNOTES_PRECISION", "int8")
    assert KnowledgeBase(notes).spec.precision == "int8"
    assert KnowledgeBase(notes, precision="fp32").spec.precision == "fp32"


def test_precision_flag_reaches_the_index_check(
    notes: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An fp32 index asked with --precision int8 is another model's index: ask stops, builds nothing."""
    monkeypatch.delenv("PAPERNOTES_PRECISION", raising=False)
    KnowledgeBase(notes, precision="fp32").build()
    capsys.readouterr()
    assert main(["--precision", "int8", "--notes", str(notes), "ask", "How many layers does ZebraNet use?"]) == 2
    assert "papernotes index --rebuild" in capsys.readouterr().err
    assert KnowledgeBase(notes).status().up_to_date  # the fp32 index is untouched


@pytest.mark.parametrize("command", [["show", "zebr"], ["ask", "How many layers?", "--note", "zebr"]], ids=["show", "ask --note"])
def test_an_unknown_note_is_answered_with_the_closest_names(
    notes: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--notes", str(notes)]) == 2
    assert capsys.readouterr().err.strip() == "papernotes: no note called 'zebr' (closest: zebra)"


def test_ask_with_a_model_that_is_not_there_fails_in_one_line(notes: Path) -> None:
    """`ask` loads the encoder in a background thread; its failure is reported once, by the command."""
    missing = notes.parent / "no-such-model"
    command = [sys.executable, "-m", "indexer.cli", "ask", "--notes", str(notes), "--model", str(missing), "What does ZebraNet segment?"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode != 0
    assert "no-such-model" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Exception in thread" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("question", ["", "   ", "\x1b[31m\x07"], ids=["empty", "spaces", "escapes-only"])
def test_an_empty_question_is_a_one_line_error_before_any_work(
    notes: Path, question: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", question, "--notes", str(notes)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("papernotes: the question is empty") and len(err.strip().splitlines()) == 1
    assert not (notes / ".papernotes").exists()  # nothing was indexed for it


def test_terminal_escapes_in_a_question_are_dropped(notes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "How many layers does \x1b[31mZebraNet\x1b[0m use?", "--json", "--notes", str(notes)]) == 0
    out = capsys.readouterr().out
    assert '"question": "How many layers does ZebraNet use?"' in out and "99" in out


def test_tui_on_a_folder_that_is_not_there_exits_with_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As `list` does: a typo in --notes is one line and exit status 2, not an empty app."""
    missing = tmp_path / "typo"
    assert main(["tui", "--notes", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"notes folder not found: {missing}" in err and "--notes DIR" in err
    assert main(["list", "--notes", str(missing)]) == 2
    assert f"notes folder not found: {missing}" in capsys.readouterr().err
