"""Limits that live in the API process: requests per minute per API key, concurrent voice
uploads. Both answer 429 with Retry-After (`LimitExceededError`). Being per process, several
API processes each allow the full rate."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from openspeakers.jobs.quota import LimitExceededError

WINDOW_S = 60.0


class RateLimiter:
    """A sliding one-minute window of request times per key."""

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
                raise LimitExceededError(
                    f"API key '{name}' made {len(hits)} requests in the last minute; its limit "
                    f"rpm is {rpm}", hits[0] + WINDOW_S - now)
            hits.append(now)


class Slots:
    """At most `size` holders at once; the next is refused at once (no queueing)."""

    def __init__(self, size: int, what: str, retry_after: float = 5.0) -> None:
        self.size, self.what, self.retry_after = size, what, retry_after
        self._used = 0
        self._lock = threading.Lock()

    @contextmanager
    def take(self) -> Iterator[None]:
        with self._lock:
            if self._used >= self.size:
                raise LimitExceededError(f"{self._used} {self.what} are in progress; the limit "
                                         f"is {self.size}: try again shortly", self.retry_after)
            self._used += 1
        try:
            yield
        finally:
            with self._lock:
                self._used -= 1
