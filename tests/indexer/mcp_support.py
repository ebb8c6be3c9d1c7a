"""Helpers for the MCP server tests: spawn `papernotes mcp` and talk to it with the SDK's own client."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"


def server_env() -> dict[str, str]:
    """The test process's environment with this checkout first on the path (the server is a subprocess)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
    return env


def copy_content(target: Path) -> Path:
    """A copy of the shipped notes (without any index)."""
    target.mkdir(parents=True, exist_ok=True)
    for note in CONTENT.glob("*.md"):
        shutil.copy2(note, target / note.name)
    return target


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the `papernotes` CLI in a subprocess (as a user would)."""
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args], capture_output=True, text=True, env=server_env(), timeout=600
    )


@contextlib.asynccontextmanager
async def stdio_session(notes: Path, *extra: str, **session: Any) -> AsyncIterator[ClientSession]:
    """An initialised client session with `papernotes mcp --notes NOTES` spawned over stdio (`session`: ClientSession options)."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "indexer.cli", "mcp", "--notes", str(notes), *extra], env=server_env()
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write, **session) as client:
        await client.initialize()
        yield client


def data(result: Any) -> Any:
    """The structured result of a successful tool call (checked against its JSON text)."""
    assert not result.is_error, result.content[0].text
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def error_text(result: Any) -> str:
    """The message of a tool call that failed as a tool error."""
    assert result.is_error, result.structured_content
    return result.content[0].text


def note_ids(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The `id` of each row."""
    return [row["id"] for row in rows]
