"""Every benchmark runs at its smoke size and prints its tables (timings are not checked)."""

from __future__ import annotations

import importlib

import pytest

pytestmark = pytest.mark.slow

BENCHMARKS = ["cold_ask", "index_throughput", "incremental", "search_latency", "app_paint", "mcp_latency", "instant", "app_reader", "big_open", "app_library", "app_tables"]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_at_smoke_size(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    module = importlib.import_module(f"bench.{name}")
    text = module.main(["--smoke"])
    assert text.startswith("## ") and "| --- |" not in text and "|---|" in text
    assert "Machine:" in text
    assert text in capsys.readouterr().out
