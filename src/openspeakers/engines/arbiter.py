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
import time
from typing import Protocol

import redis

log = logging.getLogger(__name__)


class NotEnoughMemoryError(RuntimeError):
    pass


class MemoryArbiter(Protocol):
    def acquire(self, model_id: str, gb: float) -> None: ...
    def release(self, model_id: str) -> None: ...


class NoArbiter:
    """One process per device (or no GPU): nothing to coordinate."""

    def acquire(self, model_id: str, gb: float) -> None:
        return None

    def release(self, model_id: str) -> None:
        return None


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

    def _others_gb(self) -> float:
        total = 0.0
        for key in self.redis.scan_iter(f"{self.base}held:*"):
            if key.decode().rsplit(":", 1)[1] != self.worker:
                total += sum(json.loads(self.redis.get(key) or "{}").values())
        return total

    def _write(self) -> None:
        key = f"{self.base}held:{self.worker}"
        if self.held:
            self.redis.set(key, json.dumps(self.held), px=int(self.ttl * 1000))
        else:
            self.redis.delete(key)

    def renew(self) -> None:
        """Called by the worker's heartbeat so that live reservations do not expire."""
        self._write()

    def acquire(self, model_id: str, gb: float) -> None:
        if gb <= 0 or model_id in self.held:
            return
        if gb > self.budget:
            raise NotEnoughMemoryError(f"model '{model_id}' needs ~{gb} GB; the GPU budget is "
                                       f"{self.budget} GB")
        deadline = time.monotonic() + self.timeout
        while True:
            with self.redis.lock(f"{self.base}lock", timeout=10, blocking_timeout=10):
                others = self._others_gb()
                mine = sum(self.held.values())
                if others + mine + gb <= self.budget:
                    self.held[model_id] = gb
                    self._write()
                    self.redis.delete(f"{self.base}wanted")
                    return
                self.redis.set(f"{self.base}wanted", json.dumps(
                    {"worker": self.worker, "model": model_id, "gb": gb}), px=int(
                    max(self.poll * 10, 2) * 1000))
            if time.monotonic() > deadline:
                raise NotEnoughMemoryError(
                    f"model '{model_id}' needs ~{gb} GB but other workers hold {others} GB of "
                    f"{self.budget} GB and did not free it within {self.timeout:.0f} s")
            log.info("waiting for %.1f GB of GPU memory for %s", gb, model_id)
            time.sleep(self.poll)

    def release(self, model_id: str) -> None:
        if self.held.pop(model_id, None) is not None:
            self._write()

    def wanted_by_other(self) -> bool:
        """True while another worker waits for memory (so our idle models should go)."""
        data = self.redis.get(f"{self.base}wanted")
        return bool(data) and json.loads(data)["worker"] != self.worker  # type: ignore[arg-type]
