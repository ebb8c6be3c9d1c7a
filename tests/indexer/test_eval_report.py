"""Evaluation reports put several question sets side by side."""

from __future__ import annotations

from pathlib import Path

from indexer.eval_report import SetResults, side_by_side, write_report
from indexer.evaluation import EvalResult, QuestionResult


def _result(mode: str, hit: float, *, retrieval_only: bool = False, miss: bool = False) -> EvalResult:
    results = [QuestionResult("q1", "a", ["b", "a"] if miss else ["a"], None if retrieval_only else "A.", not miss, 0.01)]
    return EvalResult(mode, 1, 0, hit, 1.0, hit, 0.5, 0, 0, 10.0, 12.0, results, retrieval_only)


def test_sets_side_by_side_one_row_per_mode() -> None:
    one = SetResults("one", "notes one", [_result("baseline", 0.5, retrieval_only=True), _result("hybrid", 1.0)])
    two = SetResults("two", "notes two", [_result("hybrid", 0.25)])
    lines = side_by_side([one, two]).splitlines()
    assert lines[0].count("hit@1") == 2 and len(lines) == 4
    assert lines[2].startswith("| baseline") and "| — |" in lines[2] and lines[2].endswith("| · | · | · | · | · |")
    assert "| 1.000 |" in lines[3] and "| 0.250 |" in lines[3]


def test_report_names_the_command_and_lists_misses(tmp_path: Path) -> None:
    path = tmp_path / "EVAL.md"
    found = SetResults("one", "notes one", [_result("hybrid", 0.0, miss=True)])
    write_report(path, [found], command="python -m bench.evaluation_report", sections=["## Extra\n\ntext"])
    text = path.read_text(encoding="utf-8")
    assert "Regenerate with `python -m bench.evaluation_report`." in text and "## Extra" in text
    assert "## Misses on one (hybrid)" in text and "first note `b`" in text
