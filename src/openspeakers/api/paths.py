"""One path, with or without its trailing slash, answered directly.

Clients written against OpenSpeakers' documented API call `POST /api/voices/` (multipart),
`GET /api/models/`; ours are declared without the slash. Starlette would answer those with a
307 redirect, which `curl` without `-L` and many clients (a POST with a body) never follow.
Instead the slash is dropped before routing, for every method and for WebSockets, so both
spellings reach the same route; `/` itself is left alone.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class TrailingSlashOptional:
    """ASGI middleware: `/api/voices/` is routed as `/api/voices` (no redirect)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path: str = scope.get("path", "")
            if len(path) > 1 and path.endswith("/"):
                scope = dict(scope)
                scope["path"] = path.rstrip("/") or "/"
                raw: bytes | None = scope.get("raw_path")
                if raw:
                    scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)
