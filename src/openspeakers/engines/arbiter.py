"""GPU memory arbitration between worker processes that share one device, through Redis.

Each worker reserves a model's `vram_gb` estimate before loading it and releases it on
unload. A worker whose model does not fit in the budget posts what it wants; the others
unload their idle models when they see that, and the waiter retries until it fits (or gives up
with a clear error). Reservations live in keys that expire unless their worker's heartbeat
renews them, so a dead worker's memory is not held forever.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # a client is passed in: the local executor never imports redis
    import redis

log = logging.getLogger(__name__)


class NotEnoughMemoryError(RuntimeError):
    pass


class MemoryArbiter(Protocol):
    def acquire(self, model_id: str, gb: float) -> None: ...
    def release(self, model_id: str) -> None: ...
    def wanted_by_other(self) -> bool: ...


class NoArbiter:
    """One process per device (or no GPU): nothing to coordinate."""

    def acquire(self, model_id: str, gb: float) -> None:
        return None

    def release(self, model_id: str) -> None:
        return None

    def wanted_by_other(self) -> bool:
        return False


class RedisArbiter:
    def __init__(self, client: redis.Redis, *, prefix: str, device: int, budget_gb: float,
                 worker: str, ttl: float, timeout: float, poll: float = 0.2) -> None:
        self.redis = client
        self.base = f"{prefix}gpu:{device}:"
        self.budget = budget_gb
        self.worker = worker
        self.ttl = ttl
        self.timeout = timeout
        self.poll = poll
        self.held: dict[str, float] = {}
        """model id -> GB reserved by this worker; read and written under `_lock` only (the job
        thread changes it, the heartbeat thread writes it to Redis)."""
        self._lock = threading.Lock()

    def _others_gb(self) -> float:
        total = 0.0
        for key in self.redis.scan_iter(f"{self.base}held:*"):
            if key.decode().rsplit(":", 1)[1] != self.worker:
                total += sum(json.loads(self.redis.get(key) or "{}").values())
        return total

    def _write(self) -> None:
        """Publish `held` (caller holds `_lock`)."""
        key = f"{self.base}held:{self.worker}"
        if self.held:
            self.redis.set(key, json.dumps(self.held), px=int(self.ttl * 1000))
        else:
            self.redis.delete(key)

    def renew(self) -> None:
        """Called by the worker's heartbeat so that live reservations do not expire."""
        with self._lock:
            self._write()

    def held_gb(self) -> float:
        with self._lock:
            return sum(self.held.values())

    def acquire(self, model_id: str, gb: float) -> None:
        """Reserve `gb` for `model_id`, waiting (without any lock of the caller's) until the
        other workers have freed enough; `NotEnoughMemoryError` after `timeout`."""
        with self._lock:
            if gb <= 0 or model_id in self.held:
                return
        if gb > self.budget:
            raise NotEnoughMemoryError(f"model '{model_id}' needs ~{gb} GB; the GPU budget is "
                                       f"{self.budget} GB")
        deadline = time.monotonic() + self.timeout
        while True:
            with self.redis.lock(f"{self.base}lock", timeout=10, blocking_timeout=10):
                others = self._others_gb()
                with self._lock:
                    if others + sum(self.held.values()) + gb <= self.budget:
                        self.held[model_id] = gb
                        self._write()
                        self.redis.delete(self._wanted_key)
                        return
                self.redis.set(self._wanted_key, json.dumps({"model": model_id, "gb": gb}),
                               px=int(max(self.poll * 10, 2) * 1000))
            if time.monotonic() > deadline:
                raise NotEnoughMemoryError(
                    f"model '{model_id}' needs ~{gb} GB but other workers hold {others} GB of "
                    f"{self.budget} GB and did not free it within {self.timeout:.0f} s")
            log.info("waiting for %.1f GB of GPU memory for %s", gb, model_id)
            time.sleep(self.poll)

    def release(self, model_id: str) -> None:
        with self._lock:
            if self.held.pop(model_id, None) is not None:
                self._write()

    @property
    def _wanted_key(self) -> str:
        return f"{self.base}wanted:{self.worker}"

    def wanted_by_other(self) -> bool:
        """True while another worker waits for memory (so our unused models should go); each
        waiter has its own key, so two waiters both hear each other."""
        return any(key.decode() != self._wanted_key
                   for key in self.redis.scan_iter(f"{self.base}wanted:*"))
