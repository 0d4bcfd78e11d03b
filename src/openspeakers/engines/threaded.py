"""Streaming from a backend that only calls back: run it in a thread, yield what it hands over.

transformers' `generate(streamer=...)` and VibeVoice's `AudioStreamer` push their output from
inside a blocking call. `threaded_stream` runs that call in a thread and yields its items in
order, re-raises its failure in the consumer, and makes sure the thread is gone before the
consumer moves on: when the job is cancelled, or the consumer stops reading (the generator is
closed), the thread's `stop` signal is set (the backend checks it every step) and the thread is
joined. So a cancelled generation never runs beside the next job on the same device.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from openspeakers.runtime import CancelSignal

log = logging.getLogger(__name__)

T = TypeVar("T")
_END = object()
JOIN_WARN_S = 10.0
"""A stopped backend thread still alive after this long is logged (and waited for)."""

Produce = Callable[[Callable[[T], None], CancelSignal], None]
"""`produce(emit, stop)`: runs the backend, calls `emit(item)` for each item as it comes, and
returns soon after `stop` is set (it checks `stop.is_set()` every step)."""


def threaded_stream(produce: Produce[T], cancel: CancelSignal, *,
                    name: str = "generate") -> Iterator[T]:
    """Yield what `produce` emits, in order; raise its exception; `Cancelled` if `cancel` was
    set. The producing thread has ended when this generator finishes or is closed."""
    stop = cancel.child()
    items: queue.Queue[Any] = queue.Queue()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            produce(items.put, stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            failure.append(exc)
        finally:
            items.put(_END)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        while (item := items.get()) is not _END:
            yield item
    finally:
        stop.set()
        join(thread)
    cancel.check()
    if failure:
        raise failure[0]


def join(thread: threading.Thread) -> None:
    """Wait for a thread told to stop; log while it takes unusually long."""
    while True:
        thread.join(JOIN_WARN_S)
        if not thread.is_alive():
            return
        log.warning("generation thread %s has not stopped after %.0f s; waiting",
                    thread.name, JOIN_WARN_S)


def stopping_criteria(stop: CancelSignal) -> Any:
    """A transformers `StoppingCriteriaList` that ends `generate` at the first step after
    `stop` is set."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class Stop(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return torch.full((input_ids.shape[0],), stop.is_set(), dtype=torch.bool,
                              device=input_ids.device)

    return StoppingCriteriaList([Stop()])

