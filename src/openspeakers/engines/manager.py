"""ModelManager: which engine is loaded in this worker, swapping, and idle unloading."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from openspeakers.engines.arbiter import MemoryArbiter, NoArbiter
from openspeakers.engines.base import TTSModelBase
from openspeakers.engines.registry import ModelSpec, Registry
from openspeakers.gpu import cuda_device_present

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

    The state lock (`_cond`) is only held for bookkeeping, never while waiting for GPU memory,
    loading weights or generating. A model being used (`use()`) is counted in `_in_use`; it is
    never unloaded (by a swap, the idle timer or a request) until its users are done, and a
    swap that needs its memory waits for that. A load runs outside the lock, so `states()`
    answers meanwhile and other workers' requests to free memory are heard; a second user of
    the same model waits for that load instead of starting another.
    """

    def __init__(self, registry: Registry, *, idle_timeout: float = 60.0, gpu_device_id: int = 0,
                 clock: Callable[[], float] = time.monotonic,
                 arbiter: MemoryArbiter | None = None,
                 engine_options: Mapping[str, Any] | None = None,
                 on_loaded: Callable[[str], None] | None = None) -> None:
        self.registry = registry
        self.on_loaded = on_loaded
        """Called (outside the lock) after each load, so a Celery worker can report the new
        state at once instead of at its next heartbeat."""
        self.runtime = registry.runtime
        self.engine_options = dict(engine_options or {})
        """Options every engine gets under its registry params (Settings.engine_options:
        ONNX threads and arena); the registry's params win."""
        self.arbiter: MemoryArbiter = arbiter or NoArbiter()
        self.idle_timeout = idle_timeout
        self.gpu_device_id = gpu_device_id
        self._clock = clock
        self._cond = threading.Condition(threading.RLock())
        self._loaded: dict[str, TTSModelBase] = {}
        self._loading: set[str] = set()
        self._in_use: dict[str, int] = {}
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
        with self._cond:
            return model_id in self._loaded

    # loading ---------------------------------------------------------------------------------
    def load_model(self, model_id: str) -> TTSModelBase:
        """Return the loaded engine, first unloading the current non-standby model if it differs
        (once its users are done)."""
        return self._load(model_id, hold=False)

    def _load(self, model_id: str, *, hold: bool) -> TTSModelBase:
        """The engine (loaded now if needed); with `hold`, counted as in use before the lock is
        let go, so nothing can unload it between the load and the caller's use."""
        spec = self.registry.get(model_id)
        with self._cond:
            while model_id in self._loading:
                self._cond.wait()
            engine = self._loaded.get(model_id)
            if engine is None:
                self._loading.add(model_id)  # before waiting: a second user waits for this load
                try:
                    self._evict_for(model_id)
                except BaseException:
                    self._loading.discard(model_id)
                    self._cond.notify_all()
                    raise
        if engine is None:
            try:
                engine = self._build(spec)
            finally:
                with self._cond:
                    self._loading.discard(model_id)
                    if engine is not None:
                        self._loaded[model_id] = engine
                        self.loads += 1
                    self._cond.notify_all()
            if self.on_loaded is not None:
                self.on_loaded(model_id)
        with self._cond:
            if hold:
                self._in_use[model_id] = self._in_use.get(model_id, 0) + 1
            self.current_model_id = model_id
            self._last_used[model_id] = self._clock()
        return engine

    def _evict_for(self, model_id: str) -> None:
        """Unload the other non-standby models (waiting for their users; lock held)."""
        while True:
            others = [m for m in self._loaded if m != model_id
                      and not self.registry.get(m).standby]
            busy = [m for m in others if self._in_use.get(m)]
            for other in others:
                if other not in busy:
                    self._unload_locked(other)
            if not busy:
                return
            self._cond.wait()

    def _build(self, spec: ModelSpec) -> TTSModelBase:
        """Reserve the model's GPU memory and load it, without the state lock. A failure gives
        back everything it took: the reservation, and whatever the engine had built."""
        device = self.device_for(spec)
        # an `auto` engine that landed on the CPU holds no GPU memory
        on_cpu_by_choice = spec.device == "auto" and device == "cpu"
        self.arbiter.acquire(spec.id, 0.0 if on_cpu_by_choice else spec.vram_gb)
        started = self._clock()
        engine = spec.create(self.engine_options)
        try:
            engine.load(device)
        except BaseException:
            with contextlib.suppress(Exception):
                engine.unload()
            del engine
            _free_device_memory()
            self.arbiter.release(spec.id)
            raise
        log.info("loaded %s on %s in %.2fs", spec.id, engine.device, self._clock() - started)
        return engine

    # unloading -------------------------------------------------------------------------------
    def unload_model(self, model_id: str) -> bool:
        """Unload `model_id` once nobody is using it."""
        with self._cond:
            while self._in_use.get(model_id) or model_id in self._loading:
                self._cond.wait()
            return self._unload_locked(model_id)

    def _unload_locked(self, model_id: str) -> bool:
        engine = self._loaded.pop(model_id, None)
        if engine is None:
            return False
        try:
            engine.unload()
        finally:
            del engine
            _free_device_memory()
            self.arbiter.release(model_id)
            self._last_used.pop(model_id, None)
            self._keep_alive.pop(model_id, None)
            if self.current_model_id == model_id:
                self.current_model_id = None
            self._cond.notify_all()
        log.info("unloaded %s", model_id)
        return True

    @contextmanager
    def use(self, model_id: str, keep_alive: float | None = None) -> Iterator[TTSModelBase]:
        """Load (or find) `model_id` and keep it loaded while the caller generates with it.

        `keep_alive` (seconds, Ollama-style) keeps the model loaded that long after this use
        instead of the configured idle timeout.
        """
        engine = self._load(model_id, hold=True)
        try:
            yield engine
        finally:
            with self._cond:
                self._in_use[model_id] -= 1
                if not self._in_use[model_id]:
                    del self._in_use[model_id]
                self._last_used[model_id] = self._clock()
                if keep_alive is not None:
                    self._keep_alive[model_id] = keep_alive
                else:
                    self._keep_alive.pop(model_id, None)
                self._cond.notify_all()

    def _timeout(self, model_id: str) -> float | None:
        spec = self.registry.get(model_id)
        if spec.standby:
            return None
        if model_id in self._keep_alive:
            return self._keep_alive[model_id]
        return spec.idle_timeout if spec.idle_timeout is not None else self.idle_timeout

    def seconds_until_idle(self) -> float | None:
        """Time until the next idle unload is due; None when nothing will ever idle out."""
        with self._cond:
            now = self._clock()
            due = [self._last_used[m] + t - now for m in self._loaded
                   if (t := self._timeout(m)) is not None and m in self._last_used
                   and not self._in_use.get(m)]
        return max(0.0, min(due)) if due else None

    def unload_idle(self) -> list[str]:
        """Unload non-standby models idle past their timeout (never one in use)."""
        with self._cond:
            now = self._clock()
            idle = [m for m in list(self._loaded) if not self._in_use.get(m)
                    and (t := self._timeout(m)) is not None
                    and now - self._last_used.get(m, now) >= t]
            return [m for m in idle if self._unload_locked(m)]

    def unload_unused(self) -> list[str]:
        """Unload every model not in use right now, standby included (another worker needs the
        device memory). Works while this worker waits for memory or generates with another."""
        with self._cond:
            unused = [m for m in list(self._loaded) if not self._in_use.get(m)]
            return [m for m in unused if self._unload_locked(m)]

    def relieve(self) -> list[str]:
        """The heartbeat's housekeeping: while another worker waits for GPU memory, unload every
        model not in use; otherwise the idle ones."""
        if self.arbiter.wanted_by_other():
            return self.unload_unused()
        return self.unload_idle()

    def preload_standby(self, group: str | None = None) -> None:
        """Load the standby models (of one queue group, for a worker that serves only it)."""
        for spec in self.registry.models.values():
            if spec.standby and spec.enabled and group in (None, spec.group):
                self.load_model(spec.id)

    def unload_all(self) -> None:
        with self._cond:
            for model_id in list(self._loaded):
                self.unload_model(model_id)

    def states(self) -> dict[str, ModelState]:
        """A consistent snapshot of the loaded models (taken under the state lock, so a model
        being unloaded is either fully listed or absent)."""
        with self._cond:
            now = self._clock()
            return {model_id: ModelState(model_id, True, engine.device, _memory(engine),
                                         now - self._last_used.get(model_id, now))
                    for model_id, engine in self._loaded.items()}


def _memory(engine: TTSModelBase) -> int | None:
    try:
        return engine.memory_bytes()
    except Exception:  # noqa: BLE001 - a figure for the models page, never a failed request
        log.debug("memory_bytes of %s failed", engine.model_id, exc_info=True)
        return None


def _free_device_memory() -> None:
    """Collect dropped weights and hand cached CUDA blocks back (only if torch is in use)."""
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.empty_cache()
