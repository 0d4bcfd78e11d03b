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
import time
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
        """The job's last state event (may block: a Redis bus may read Redis)."""
        return self.last_seen(job_id)

    def last_seen(self, job_id: str) -> Event | None:
        """The last state event this process has seen for the job (never blocks)."""
        with self._lock:
            return self._last.get(job_id)

    @contextmanager
    def listen(self, job_id: str, listener: Listener, *,
               replay: Callable[[str], Event | None] | None = None) -> Iterator[None]:
        """Call `listener` (from the publishing thread) for each event; the last one first
        (as `replay` finds it, by default `last`)."""
        with self._lock:
            self._listeners.setdefault(job_id, []).append(listener)
        last = (replay or self.last)(job_id)
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
        It replays only the last event this process has seen (`last_seen`), so it never blocks
        the loop: callers read the job's stored state for anything older.
        """
        loop = asyncio.get_running_loop()
        target: asyncio.Queue[Event] = asyncio.Queue()
        with self.listen(job_id, lambda event: loop.call_soon_threadsafe(target.put_nowait,
                                                                          event),
                         replay=self.last_seen):
            yield target

    def wait_terminal(self, job_id: str, timeout: float | None = None) -> Event | None:
        """Block until the job completes, fails or is cancelled; None after `timeout` seconds
        in all (a thread waits: for sync callers, the CLI; async code uses `until_terminal`)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.subscribe(job_id) as events:
            while True:
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                try:
                    event = events.get(timeout=left)
                except queue.Empty:
                    return None
                if event.get("type") in TERMINAL:
                    return event


async def until_terminal(events: asyncio.Queue[Event], seconds: float) -> Event | None:
    """Await a subscription (`subscribe_async`) until a complete, failed or cancelled event,
    or `seconds` in all; None when the time is up. Holds no thread."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                event = await events.get()
                if event.get("type") in TERMINAL:
                    return event
    except TimeoutError:
        return None
