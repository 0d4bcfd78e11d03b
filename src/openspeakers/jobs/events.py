"""Per-job event channel, in process. Workers publish; WebSockets, streams and the CLI listen.

Events are dicts with a `type`: queued, started, loading, generating, audio_chunk, complete,
failed, cancelled. The last event of each job (audio chunks aside) is kept, so that a late
subscriber still learns the state; listeners must subscribe before a job is enqueued to hear
every audio chunk.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Event = dict[str, Any]
Listener = Callable[[Event], None]
TERMINAL = frozenset({"complete", "failed", "cancelled"})


class EventBus:
    def __init__(self, keep_last: int = 1000) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, list[Listener]] = {}
        self._last: dict[str, Event] = {}
        self._keep_last = keep_last

    def publish(self, job_id: str, event: Event) -> None:
        self.deliver(job_id, event)

    def deliver(self, job_id: str, event: Event) -> None:
        """Hand an event to this process's listeners (a relay calls this for remote events)."""
        with self._lock:
            if event.get("type") != "audio_chunk":
                self._last.pop(job_id, None)
                self._last[job_id] = event
                if len(self._last) > self._keep_last:
                    self._last.pop(next(iter(self._last)))
            listeners = list(self._listeners.get(job_id, ()))
        for listener in listeners:
            listener(event)

    def last(self, job_id: str) -> Event | None:
        with self._lock:
            return self._last.get(job_id)

    @contextmanager
    def listen(self, job_id: str, listener: Listener) -> Iterator[None]:
        """Call `listener` (from the publishing thread) for each event; the last one first."""
        with self._lock:
            self._listeners.setdefault(job_id, []).append(listener)
        last = self.last(job_id)
        if last is not None:
            listener(last)
        try:
            yield
        finally:
            with self._lock:
                listeners = self._listeners.get(job_id, [])
                if listener in listeners:
                    listeners.remove(listener)
                if not listeners:
                    self._listeners.pop(job_id, None)

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[queue.Queue[Event]]:
        """A thread-safe queue of this job's events."""
        target: queue.Queue[Event] = queue.Queue()
        with self.listen(job_id, target.put):
            yield target

    @contextmanager
    def subscribe_async(self, job_id: str) -> Iterator[asyncio.Queue[Event]]:
        """An asyncio queue of this job's events, fed from worker threads without blocking.

        Entered from a coroutine (it binds the running loop); a plain context manager so that
        a handler can subscribe before it enqueues and hand the subscription to a stream.
        """
        loop = asyncio.get_running_loop()
        target: asyncio.Queue[Event] = asyncio.Queue()
        with self.listen(job_id, lambda event: loop.call_soon_threadsafe(target.put_nowait,
                                                                          event)):
            yield target

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
