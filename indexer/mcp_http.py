"""`papernotes mcp --http`: the streamable-HTTP transport, loopback only unless a bearer token guards every request."""

from __future__ import annotations

import hmac
import os
from typing import Any

from indexer.errors import PapernotesError

DEFAULT_PORT = 8765
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TOKEN_ENV = "PAPERNOTES_MCP_TOKEN"
"""The token can come from the environment, where other users can't read it (argv shows in `ps`)."""
MIN_TOKEN = 16
"""Characters a token needs at least (`python -c "import secrets; print(secrets.token_urlsafe())"` gives 43)."""


class StaticToken:
    """The SDK's TokenVerifier for one shared secret, compared in constant time."""

    def __init__(self, token: str) -> None:
        self._token = token.encode("utf-8")

    async def verify_token(self, token: str) -> Any:
        """An AccessToken when `token` is the secret, else None (the SDK then answers 401)."""
        from mcp.server.auth.provider import AccessToken

        if hmac.compare_digest(token.encode("utf-8"), self._token):
            return AccessToken(token="papernotes", client_id="papernotes", scopes=[])
        return None


def resolve_token(token: str | None) -> str | None:
    """The token from `--token`, else `$PAPERNOTES_MCP_TOKEN`, else None; too short a token is refused."""
    token = token or os.environ.get(TOKEN_ENV) or None
    if token is not None and len(token) < MIN_TOKEN:
        raise PapernotesError(f"the token is too short ({len(token)} characters)", f"use at least {MIN_TOKEN}")
    return token


def auth_settings(host: str, port: int, token: str | None) -> dict[str, Any]:
    """MCPServer settings for serving on `host`: none on loopback without a token, else a token check on every request."""
    if token is None:
        if host not in LOOPBACK:
            raise PapernotesError(
                f"serving on {host} needs a token",
                f"pass --token or set {TOKEN_ENV}; without one only 127.0.0.1 is allowed",
            )
        return {}
    from mcp.server.auth.settings import AuthSettings

    shown = f"[{host}]" if ":" in host else host
    return {
        "token_verifier": StaticToken(token),
        "auth": AuthSettings(issuer_url=f"http://{shown}:{port}", resource_server_url=None, required_scopes=[]),
    }


async def serve(server: Any, host: str, port: int) -> None:
    """Serve `server` (an MCPServer) at http://host:port/mcp until cancelled."""
    await server.run_streamable_http_async(host=host, port=port, streamable_http_path="/mcp")
