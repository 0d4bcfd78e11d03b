"""Limits checked in the API: requests per minute per API key, concurrent voice uploads. Both
answer 429 with Retry-After (`LimitExceededError`).

One interface, two implementations. With the local executor there is one API process, and the
counts live in it. With Celery (CELERY_BROKER_URL set) there may be several API processes
(`make run-distributed`, compose), and a count kept in each would let a key make N times its
rpm: the counts live in Redis then, changed by one Lua script per check (atomic: two
processes never both take the last place). Redis unreachable: `LimitsUnavailableError` (503),
not an unchecked request.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from openspeakers.config import Settings
from openspeakers.jobs.quota import LimitExceededError
from openspeakers.pools import Pools

WINDOW_S = 60.0
UPLOAD_RETRY_S = 5.0
"""Retry-After when the upload slots are full: about one upload."""
SLOT_LEASE_S = 600.0
"""A Redis upload slot lapses this long after it was taken, so the slots of an API process
that died while uploading come back by themselves (an upload lasting longer stops counting)."""
REDIS_TIMEOUT_S = 2.0


class LimitsUnavailableError(RuntimeError):
    """The shared limits could not be checked (Redis unreachable): 503, try again later."""


class RateLimiter(Protocol):
    def hit(self, key_id: str, name: str, rpm: int) -> None:
        """Count one request of the key; `LimitExceededError` past `rpm` in the last minute."""


class Slots(Protocol):
    size: int

    def acquire(self) -> str:
        """Take a slot (its token); `LimitExceededError` when all `size` are taken."""

    def release(self, token: str) -> None: ...


def _rpm_refused(name: str, count: int, rpm: int, retry_after: float) -> LimitExceededError:
    return LimitExceededError(f"API key '{name}' made {count} requests in the last minute; its "
                              f"limit rpm is {rpm}", retry_after)


def _slots_full(count: int, size: int, what: str) -> LimitExceededError:
    return LimitExceededError(f"{count} {what} are in progress; the limit is {size}: try again "
                              "shortly", UPLOAD_RETRY_S)


class LocalRateLimiter:
    """A sliding one-minute window of request times per key, in this process."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key_id: str, name: str, rpm: int) -> None:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key_id, deque())
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            if len(hits) >= rpm:
                raise _rpm_refused(name, len(hits), rpm, hits[0] + WINDOW_S - now)
            hits.append(now)


class LocalSlots:
    """At most `size` holders at once in this process; the next is refused (no queueing)."""

    def __init__(self, size: int, what: str) -> None:
        self.size, self.what = size, what
        self._held: set[str] = set()
        self._lock = threading.Lock()

    def acquire(self) -> str:
        with self._lock:
            if len(self._held) >= self.size:
                raise _slots_full(len(self._held), self.size, self.what)
            token = uuid.uuid4().hex
            self._held.add(token)
            return token

    def release(self, token: str) -> None:
        with self._lock:
            self._held.discard(token)


# Both scripts read the clock of the Redis server (TIME), so API hosts need not agree on it.
# A sorted set of entries scored by time; the expired ones are dropped before counting.
_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

_RATE_SCRIPT = _NOW_MS + """
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {count, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {count, -1}
"""
"""KEYS: the key's window. ARGV: rpm, window (ms), a unique member. -> {count, ms to wait}
(-1: counted, allowed)."""

_SLOT_SCRIPT = _NOW_MS + """
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[1]) then return {count, 0} end
redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[1], lease)
return {count, 1}
"""
"""KEYS: the holders (scored by when their lease ends). ARGV: size, lease (ms), token.
-> {holders before, 1 taken / 0 refused}."""


class _RedisLimit:
    """A Redis client for the limits (short timeouts: a check must not hang a request) and
    one Lua script; any Redis error becomes `LimitsUnavailableError`."""

    def __init__(self, url: str, script: str) -> None:
        import redis

        self.errors = redis.RedisError
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_S,
                                          socket_timeout=REDIS_TIMEOUT_S)
        self._script = self.redis.register_script(script)

    def run(self, key: str, *args: Any) -> list[int]:
        try:
            return [int(value) for value in self._script(keys=[key], args=list(args))]
        except self.errors as exc:
            raise LimitsUnavailableError(f"the request limits cannot be checked: Redis is not "
                                         f"reachable ({exc}); try again later") from exc


class RedisRateLimiter:
    """The sliding minute of each key in Redis, shared by every API process."""

    def __init__(self, url: str, prefix: str) -> None:
        self._limit = _RedisLimit(url, _RATE_SCRIPT)
        self.prefix = prefix

    def hit(self, key_id: str, name: str, rpm: int) -> None:
        count, wait_ms = self._limit.run(f"{self.prefix}limits:rpm:{key_id}", rpm,
                                         int(WINDOW_S * 1000), uuid.uuid4().hex)
        if wait_ms >= 0:
            raise _rpm_refused(name, count, rpm, wait_ms / 1000)


class RedisSlots:
    """Slots held in Redis, shared by every API process; each lapses after `lease` seconds."""

    def __init__(self, url: str, prefix: str, size: int, what: str,
                 lease: float = SLOT_LEASE_S) -> None:
        self._limit = _RedisLimit(url, _SLOT_SCRIPT)
        self.key = f"{prefix}limits:slots:{what.replace(' ', '-')}"
        self.size, self.what, self.lease = size, what, lease

    def acquire(self) -> str:
        token = uuid.uuid4().hex
        count, taken = self._limit.run(self.key, self.size, int(self.lease * 1000), token)
        if not taken:
            raise _slots_full(count, self.size, self.what)
        return token

    def release(self, token: str) -> None:
        try:
            self._limit.redis.zrem(self.key, token)
        except self._limit.errors:
            pass  # the lease ends it


@dataclass
class Limits:
    """The API's limits, as the settings choose them (Redis with Celery, else in process)."""

    rate: RateLimiter
    uploads: Slots

    @classmethod
    def build(cls, settings: Settings) -> Limits:
        url, size = settings.celery_broker_url, settings.max_concurrent_uploads
        if url:
            return cls(RedisRateLimiter(url, settings.redis_prefix),
                       RedisSlots(url, settings.redis_prefix, size, "voice uploads"))
        return cls(LocalRateLimiter(), LocalSlots(size, "voice uploads"))


def limits_of(state: Any) -> Limits:
    """The app's `Limits` (`request.app.state`), built on first use from its settings."""
    limits: Limits | None = getattr(state, "limits", None)
    if limits is None:
        limits = state.limits = Limits.build(state.context.settings)
    return limits


@asynccontextmanager
async def holding(slots: Slots, pools: Pools) -> AsyncIterator[None]:
    """Hold one of `slots` for the block (429 when none is free); taken and given back in the
    database pool, as a Redis call blocks."""
    token = await pools.db_call(slots.acquire)
    try:
        yield
    finally:
        await pools.db_call(slots.release, token)
