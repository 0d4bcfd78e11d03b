"""Optional API keys. With none configured the server is open; with any, /api and /v1 (and
/ws) require `Authorization: Bearer <key>` (WebSockets may pass `?api_key=<key>`, since
browsers cannot set headers on them)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets

from fastapi import HTTPException, Request, WebSocket
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.db.models import ApiKey, utcnow

_PREFIX = "osk-"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(sessions: sessionmaker[Session], name: str) -> tuple[ApiKey, str]:
    """Store a new key's hash; return the row and the key (shown once, never stored)."""
    key = _PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, prefix=key[:10], key_hash=_digest(key))
    with sessions.begin() as session:
        session.add(row)
    return row, key


def list_keys(sessions: sessionmaker[Session]) -> list[ApiKey]:
    with sessions() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(sessions: sessionmaker[Session], key_id: str) -> bool:
    with sessions.begin() as session:
        return bool(session.execute(delete(ApiKey).where(ApiKey.id == key_id)).rowcount)  # type: ignore[attr-defined]


def check_key(sessions: sessionmaker[Session], key: str | None) -> bool:
    """True when no keys are configured, or `key` is one of them."""
    with sessions.begin() as session:
        if not session.scalar(select(func.count()).select_from(ApiKey)):
            return True
        if not key:
            return False
        found = session.execute(update(ApiKey).where(ApiKey.key_hash == _digest(key))
                                .values(last_used_at=utcnow()))
        return bool(found.rowcount)  # type: ignore[attr-defined]


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


async def require_api_key(request: Request) -> None:
    """Route dependency: 401 unless keys are off or the bearer key is valid."""
    sessions = request.app.state.context.sessions
    if not await asyncio.to_thread(check_key, sessions,
                                   _bearer(request.headers.get("authorization"))):
        raise HTTPException(401, "missing or invalid API key: send 'Authorization: Bearer "
                            "<key>' (create one with `openspeakers keys create`)",
                            headers={"WWW-Authenticate": "Bearer"})


async def websocket_allowed(websocket: WebSocket, context: object) -> bool:
    key = _bearer(websocket.headers.get("authorization")) or websocket.query_params.get(
        "api_key")
    if await asyncio.to_thread(check_key, context.sessions, key):  # type: ignore[attr-defined]
        return True
    await websocket.close(code=4401, reason="missing or invalid API key")
    return False
