"""One loaded model per process, shared by the worker threads that can share it.

Several workers of a CPU queue group (`CPU_WORKERS` threads of the local executor) each own a
`ModelManager`, so each would load its own copy of a model: two copies of the Piper voice
cost ~250 MB more than one and buy nothing, because an ONNX Runtime `InferenceSession` may
be run from several threads at once. An engine whose loaded object is safe to share takes
it from here instead: the first `acquire` of a key loads it (other threads asking for the
same key meanwhile wait for that load rather than loading a second copy), every later one
only counts a reference, and `release` frees it when the last holder lets go. Each manager
keeps its own accounting (it "has" the model loaded, idles it out, unloads it) exactly as
before; only the memory behind it is shared.

The table is process-wide on purpose: what it shares, a model in this process's memory, is.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    loaded: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None
    holders: int = 0


class SharedModels:
    """Reference-counted loaded objects, one per key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, _Entry] = {}
        self.loads = 0
        """How many times a loader ran (tests check that two workers loaded once)."""

    def acquire(self, key: Hashable, loader: Callable[[], Any]) -> Any:
        """The object for `key`, loading it with `loader` if no one holds it."""
        with self._lock:
            entry = self._entries.get(key)
            first = entry is None
            if entry is None:
                entry = self._entries[key] = _Entry()
            entry.holders += 1
        if first:
            try:
                entry.value = loader()
                self.loads += 1
            except BaseException as exc:
                entry.error = exc
                with self._lock:
                    self._entries.pop(key, None)
                raise
            finally:
                entry.loaded.set()
            return entry.value
        entry.loaded.wait()
        if entry.error is not None:
            raise entry.error
        return entry.value

    def release(self, key: Hashable) -> bool:
        """Drop one reference; True when it was the last and the object was freed."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False
            entry.holders -= 1
            if entry.holders > 0:
                return False
            del self._entries[key]
        entry.value = None
        gc.collect()
        return_free_memory()
        log.debug("freed shared %s", key)
        return True

    def holders(self, key: Hashable) -> int:
        with self._lock:
            entry = self._entries.get(key)
            return entry.holders if entry else 0


SHARED = SharedModels()
"""This process's shared models."""


def return_free_memory() -> None:
    """Hand memory that was freed back to the operating system (glibc's `malloc_trim`).

    ONNX Runtime without its arena allocates each run's buffers with malloc; glibc keeps the
    freed pages of its per-thread heaps, so resident memory would grow to the worst case of
    every worker thread. Workers call this when they go idle, off the path of any request.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return
    libc.malloc_trim(0)
