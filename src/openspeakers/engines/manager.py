"""ModelManager: which engine is loaded in this worker, swapping, and idle unloading."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from openspeakers.engines.arbiter import MemoryArbiter, NoArbiter
from openspeakers.engines.availability import cuda_device_present
from openspeakers.engines.base import TTSModelBase
from openspeakers.engines.registry import ModelSpec, Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelState:
    model_id: str
    loaded: bool
    device: str | None = None
    memory_bytes: int | None = None
    idle_seconds: float | None = None


class ModelManager:
    """One per worker. Holds at most one non-standby model plus the standby ones.

    `use()` takes the lock for the whole generation, so a worker's device is used by one job at a
    time and an idle unload can never pull a model from under a running job.
    """

    def __init__(self, registry: Registry, *, idle_timeout: float = 60.0, gpu_device_id: int = 0,
                 clock: Callable[[], float] = time.monotonic,
                 arbiter: MemoryArbiter | None = None) -> None:
        self.registry = registry
        self.arbiter: MemoryArbiter = arbiter or NoArbiter()
        self.idle_timeout = idle_timeout
        self.gpu_device_id = gpu_device_id
        self._clock = clock
        self._lock = threading.RLock()
        self._loaded: dict[str, TTSModelBase] = {}
        self._last_used: dict[str, float] = {}
        self._keep_alive: dict[str, float] = {}
        self.current_model_id: str | None = None
        self.loads = 0
        """How many times a model was loaded (observable by tests and the models page)."""

    def device_for(self, spec: ModelSpec) -> str:
        """GPU_DEVICE_ID for `cuda` engines and for `auto` ones where a GPU is present."""
        on_gpu = spec.device == "cuda" or (spec.device == "auto" and cuda_device_present())
        return f"cuda:{self.gpu_device_id}" if on_gpu else "cpu"

    def is_loaded(self, model_id: str) -> bool:
        return model_id in self._loaded

    def load_model(self, model_id: str) -> TTSModelBase:
        """Return the loaded engine, first unloading the current non-standby model if it differs."""
        with self._lock:
            engine = self._loaded.get(model_id)
            if engine is None:
                spec = self.registry.get(model_id)
                for other in list(self._loaded):
                    if not self.registry.get(other).standby:
                        self.unload_model(other)
                engine = spec.engine_class()(spec.params)
                started = self._clock()
                device = self.device_for(spec)
                # an `auto` engine that landed on the CPU holds no GPU memory
                on_cpu_by_choice = spec.device == "auto" and device == "cpu"
                self.arbiter.acquire(model_id, 0.0 if on_cpu_by_choice else spec.vram_gb)
                try:
                    engine.load(device)
                except BaseException:
                    self.arbiter.release(model_id)
                    raise
                log.info("loaded %s on %s in %.2fs", model_id, engine.device,
                         self._clock() - started)
                self._loaded[model_id] = engine
                self.loads += 1
            self.current_model_id = model_id
            self._last_used[model_id] = self._clock()
            return engine

    def unload_model(self, model_id: str) -> bool:
        with self._lock:
            engine = self._loaded.pop(model_id, None)
            if engine is None:
                return False
            engine.unload()
            del engine
            _free_device_memory()
            self.arbiter.release(model_id)
            self._last_used.pop(model_id, None)
            self._keep_alive.pop(model_id, None)
            if self.current_model_id == model_id:
                self.current_model_id = None
            log.info("unloaded %s", model_id)
            return True

    @contextmanager
    def use(self, model_id: str, keep_alive: float | None = None) -> Iterator[TTSModelBase]:
        """Load (or find) `model_id` and hold the lock while the caller generates with it.

        `keep_alive` (seconds, Ollama-style) keeps the model loaded that long after this use
        instead of the configured idle timeout.
        """
        with self._lock:
            engine = self.load_model(model_id)
            try:
                yield engine
            finally:
                self._last_used[model_id] = self._clock()
                if keep_alive is not None:
                    self._keep_alive[model_id] = keep_alive
                else:
                    self._keep_alive.pop(model_id, None)

    def _timeout(self, model_id: str) -> float | None:
        spec = self.registry.get(model_id)
        if spec.standby:
            return None
        if model_id in self._keep_alive:
            return self._keep_alive[model_id]
        return spec.idle_timeout if spec.idle_timeout is not None else self.idle_timeout

    def seconds_until_idle(self) -> float | None:
        """Time until the next idle unload is due; None when nothing will ever idle out."""
        with self._lock:
            now = self._clock()
            due = [self._last_used[m] + t - now for m in self._loaded
                   if (t := self._timeout(m)) is not None and m in self._last_used]
        return max(0.0, min(due)) if due else None

    def unload_idle(self) -> list[str]:
        """Unload non-standby models idle past their timeout; skipped while a job holds the lock."""
        if not self._lock.acquire(blocking=False):
            return []
        try:
            now = self._clock()
            idle = [m for m in list(self._loaded) if (t := self._timeout(m)) is not None
                    and now - self._last_used.get(m, now) >= t]
            for model_id in idle:
                self.unload_model(model_id)
            return idle
        finally:
            self._lock.release()

    def unload_unused(self) -> list[str]:
        """Unload every model not generating right now, standby included (another worker needs
        the device memory); skipped while a job holds the lock."""
        if not self._lock.acquire(blocking=False):
            return []
        try:
            unloaded = list(self._loaded)
            for model_id in unloaded:
                self.unload_model(model_id)
            return unloaded
        finally:
            self._lock.release()

    def preload_standby(self, group: str | None = None) -> None:
        """Load the standby models (of one queue group, for a worker that serves only it)."""
        for spec in self.registry.models.values():
            if spec.standby and spec.enabled and group in (None, spec.group):
                self.load_model(spec.id)

    def unload_all(self) -> None:
        with self._lock:
            for model_id in list(self._loaded):
                self.unload_model(model_id)

    def states(self) -> dict[str, ModelState]:
        now = self._clock()
        return {model_id: ModelState(model_id, True, engine.device, engine.memory_bytes(),
                                     now - self._last_used.get(model_id, now))
                for model_id, engine in list(self._loaded.items())}


def _free_device_memory() -> None:
    """Collect dropped weights and hand cached CUDA blocks back (only if torch is in use)."""
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()
