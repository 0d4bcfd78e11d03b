"""Per-job event channel, in process. Workers publish; WebSockets, streams and the CLI listen.

The last event of each job is kept so that a late subscriber still learns the final state.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Event = dict[str, Any]
TERMINAL = frozenset({"complete", "failed", "cancelled"})


class EventBus:
    def __init__(self, keep_last: int = 1000) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[queue.Queue[Event]]] = {}
        self._last: dict[str, Event] = {}
        self._keep_last = keep_last

    def publish(self, job_id: str, event: Event) -> None:
        with self._lock:
            if event.get("type") != "audio_chunk":
                self._last.pop(job_id, None)
                self._last[job_id] = event
                if len(self._last) > self._keep_last:
                    self._last.pop(next(iter(self._last)))
            targets = list(self._subscribers.get(job_id, ()))
        for target in targets:
            target.put(event)

    def last(self, job_id: str) -> Event | None:
        with self._lock:
            return self._last.get(job_id)

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[queue.Queue[Event]]:
        """A queue of this job's events from now on (the last one first, if any)."""
        target: queue.Queue[Event] = queue.Queue()
        with self._lock:
            self._subscribers.setdefault(job_id, []).append(target)
            if job_id in self._last:
                target.put(self._last[job_id])
        try:
            yield target
        finally:
            with self._lock:
                listeners = self._subscribers.get(job_id, [])
                if target in listeners:
                    listeners.remove(target)
                if not listeners:
                    self._subscribers.pop(job_id, None)

    def wait_terminal(self, job_id: str, timeout: float | None = None) -> Event | None:
        """Block until the job completes, fails or is cancelled; None on timeout."""
        with self.subscribe(job_id) as events:
            while True:
                try:
                    event = events.get(timeout=timeout)
                except queue.Empty:
                    return None
                if event.get("type") in TERMINAL:
                    return event
