"""Values computed on demand and reused for a short while (availability, workers' state)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Expiring(Generic[K, V]):
    """`get(key)` returns `compute(key)`, computed at most once per `ttl` seconds per key.

    Thread-safe; concurrent callers of an expired key wait for one computation instead of
    each doing it (a burst of requests makes one Redis scan, not one each).
    """

    def __init__(self, ttl: float, compute: Callable[[K], V]) -> None:
        self.ttl = ttl
        self._compute = compute
        self._values: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[K, threading.Lock] = {}

    def get(self, key: K) -> V:
        if self.ttl <= 0:
            return self._compute(key)
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            found = self._values.get(key)
            if found is not None and time.monotonic() - found[0] < self.ttl:
                return found[1]
            value = self._compute(key)
            self._values[key] = (time.monotonic(), value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
