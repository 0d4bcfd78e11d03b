"""Optional API keys. With none configured the server is open; with any, /api and /v1 (and
/ws) require `Authorization: Bearer <key>` (WebSockets may pass `?api_key=<key>`, since
browsers cannot set headers on them; api/redaction.py keeps it out of the logs).

A key may carry limits (requests per minute here; concurrent jobs and characters per day in
jobs/quota.py). The key that authenticated a request is left in `request.state.api_key`
(a `KeyInfo`) for the audit log and for the jobs it submits."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, Request, WebSocket
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from openspeakers.api.limits import RateLimiter, limits_of
from openspeakers.db.models import ApiKey, utcnow
from openspeakers.db.writes import DATABASE_ERRORS, describe

log = logging.getLogger(__name__)

_PREFIX = "osk-"
audit = logging.getLogger("openspeakers.audit")


@dataclass(frozen=True)
class KeyInfo:
    """The key that authenticated a request (never the key itself)."""

    id: str
    name: str
    prefix: str
    rpm: int | None = None
    max_jobs: int | None = None
    chars_per_day: int | None = None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(sessions: sessionmaker[Session], name: str, *, rpm: int | None = None,
               max_jobs: int | None = None, chars_per_day: int | None = None
               ) -> tuple[ApiKey, str]:
    """Store a new key's hash (and its limits); return the row and the key (shown once,
    never stored)."""
    key = _PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, prefix=key[:10], key_hash=_digest(key), rpm=rpm,
                 max_jobs=max_jobs, chars_per_day=chars_per_day)
    with sessions.begin() as session:
        session.add(row)
    return row, key


def list_keys(sessions: sessionmaker[Session]) -> list[ApiKey]:
    with sessions() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(sessions: sessionmaker[Session], key_id: str) -> bool:
    with sessions.begin() as session:
        return bool(session.execute(delete(ApiKey).where(ApiKey.id == key_id)).rowcount)  # type: ignore[attr-defined]


LAST_USED_EVERY = timedelta(minutes=1)
"""`last_used_at` is written at most this often per key: a check is a read, not a write."""


def find_key(sessions: sessionmaker[Session], key: str | None) -> tuple[bool, KeyInfo | None]:
    """(allowed, the key): allowed when no keys are configured, or `key` is one of them."""
    with sessions() as session:
        if not session.scalar(select(func.count()).select_from(ApiKey)):
            return True, None
        if not key:
            return False, None
        row = session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(key)))
        if row is None:
            return False, None
        info = KeyInfo(id=row.id, name=row.name, prefix=row.prefix, rpm=row.rpm,
                       max_jobs=row.max_jobs, chars_per_day=row.chars_per_day)
        last_used = row.last_used_at
    _touch(sessions, info.id, last_used)
    return True, info


def check_key(sessions: sessionmaker[Session], key: str | None) -> bool:
    """True when no keys are configured, or `key` is one of them."""
    return find_key(sessions, key)[0]


def keys_configured(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return bool(session.scalar(select(func.count()).select_from(ApiKey)))


def _touch(sessions: sessionmaker[Session], key_id: str, last_used: datetime | None) -> None:
    """Record the key's use, once a minute at most; a database that cannot be written does not
    turn a valid key away."""
    now = utcnow()
    if last_used is not None and now - last_used.replace(tzinfo=last_used.tzinfo or UTC) \
            < LAST_USED_EVERY:
        return
    try:
        with sessions.begin() as session:
            session.execute(update(ApiKey).where(ApiKey.id == key_id)
                            .values(last_used_at=now))
    except DATABASE_ERRORS as exc:
        log.warning("could not record the use of API key %s: %s", key_id, describe(exc))


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


_UNAUTHORIZED = ("missing or invalid API key: send 'Authorization: Bearer <key>' (create one "
                 "with `openspeakers keys create`)")


def _admit(sessions: sessionmaker[Session], key: str | None,
           limiter: RateLimiter) -> tuple[bool, KeyInfo | None]:
    """`find_key`, then the key's request counted against its rpm (`LimitExceededError`
    past it): one trip to the database pool, as the count may be a Redis call."""
    allowed, info = find_key(sessions, key)
    if allowed and info is not None and info.rpm is not None:
        limiter.hit(info.id, info.name, info.rpm)
    return allowed, info


async def require_api_key(request: Request) -> None:
    """Route dependency: 401 unless keys are off or the bearer key is valid; 429 past the
    key's requests per minute (counted across API processes with Celery: api/limits.py)."""
    context = request.app.state.context
    allowed, info = await context.pools.db_call(
        _admit, context.sessions, _bearer(request.headers.get("authorization")),
        limits_of(request.app.state).rate)
    if not allowed:
        raise HTTPException(401, _UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    request.state.api_key = info


async def websocket_allowed(websocket: WebSocket, context: object) -> bool:
    key = _bearer(websocket.headers.get("authorization")) or websocket.query_params.get(
        "api_key")
    allowed, info = await context.pools.db_call(  # type: ignore[attr-defined]
        find_key, context.sessions, key)
    if info is not None:
        audit.info("key %s (%s) WS %s -> %s", info.id, info.name,
                   websocket.scope.get("route_path") or websocket.url.path,
                   "accepted" if allowed else "refused")
    if allowed:
        return True
    await websocket.close(code=4401, reason="missing or invalid API key")
    return False


class AuditLog:
    """ASGI middleware: one `openspeakers.audit` line per request made with a key: which key
    (id and name, never the key), method, route, status. Bodies and query strings are never
    logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def record(message: dict) -> None:  # type: ignore[type-arg]
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            info = scope.get("state", {}).get("api_key")
            if isinstance(info, KeyInfo):
                route = getattr(scope.get("route"), "path", None) or scope["path"]
                audit.info("key %s (%s) %s %s -> %s", info.id, info.name, scope["method"],
                           route, status)


DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})


class DocsGuard:
    """ASGI middleware (DOCS_REQUIRE_KEY): with keys configured, the API documentation and
    schema answer 401 unless the request carries a valid key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in DOCS_PATHS:
            request = Request(scope, receive)
            context = request.app.state.context
            allowed, _ = await context.pools.db_call(
                find_key, context.sessions, _bearer(request.headers.get("authorization")))
            if not allowed:
                from openspeakers.api.errors import error_response

                response = error_response(request, 401, _UNAUTHORIZED,
                                          headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
