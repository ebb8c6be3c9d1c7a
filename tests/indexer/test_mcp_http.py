"""`papernotes mcp --http`: streamable HTTP on loopback, and a bearer token checked on every request elsewhere."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from indexer.knowledge import KnowledgeBase
from tests.indexer.mcp_support import cli, copy_content, data, server_env

pytestmark = pytest.mark.slow

QUESTION = "What does MobileSAM distil from SAM's image encoder?"
TOKEN = "a-test-token-0123456789abcdef"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    notes = copy_content(tmp_path_factory.mktemp("http") / "notes")
    KnowledgeBase(notes).build()
    return notes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def http_server(notes: Path, *extra: str) -> Iterator[str]:
    """`papernotes mcp --http` on a free port; yields its URL once it accepts connections."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "mcp", "--notes", str(notes), "--http", "--port", str(port), *extra],
        env=server_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.communicate()[1]
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert time.monotonic() < deadline, "the server never listened"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


async def _ask(url: str, headers: dict[str, str] | None = None) -> dict[str, object]:
    async with (
        create_mcp_http_client(headers=headers) as client,
        streamable_http_client(url, http_client=client) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        assert {t.name for t in (await session.list_tools()).tools} >= {"ask", "search_notes"}
        return data(await session.call_tool("ask", {"question": QUESTION}))


async def test_loopback_without_a_token_answers_as_the_cli_does(indexed: Path) -> None:
    with http_server(indexed) as url:
        answer = await _ask(url)
    assert answer == json.loads(cli("ask", "--notes", str(indexed), "--json", QUESTION).stdout)


async def test_elsewhere_every_request_needs_the_token(indexed: Path) -> None:
    with http_server(indexed, "--host", "0.0.0.0", "--token", TOKEN) as url:
        async with httpx2.AsyncClient() as raw:
            missing = await raw.post(url, json=INITIALIZE, headers=HEADERS)
            wrong = await raw.post(url, json=INITIALIZE, headers={**HEADERS, "Authorization": "Bearer not-the-token-at-all"})
            right = await raw.post(url, json=INITIALIZE, headers={**HEADERS, "Authorization": f"Bearer {TOKEN}"})
            answer = await _ask(url, {"Authorization": f"Bearer {TOKEN}"})
            session = right.headers.get("mcp-session-id", "")
            # A session opened with the token does not let a later request in without it.
            later = await raw.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers={**HEADERS, "mcp-session-id": session})
    assert missing.status_code == wrong.status_code == later.status_code == 401
    assert right.status_code == 200
    assert answer == json.loads(cli("ask", "--notes", str(indexed), "--json", QUESTION).stdout)


def test_binding_elsewhere_without_a_token_is_refused(indexed: Path) -> None:
    refused = cli("mcp", "--notes", str(indexed), "--http", "--host", "0.0.0.0")
    short = cli("mcp", "--notes", str(indexed), "--http", "--token", "short")
    stdio = cli("mcp", "--notes", str(indexed), "--token", TOKEN)
    assert refused.returncode == short.returncode == stdio.returncode == 2
    assert "serving on 0.0.0.0 needs a token" in refused.stderr and "--token" in refused.stderr
    assert "too short" in short.stderr
    assert "only apply with --http" in stdio.stderr
