"""Warming a worker's models without delaying the server's readiness or its first job.

Loading a model costs CPU (and, while ONNX Runtime builds a session, the GIL), so doing it
during start-up delays the moment the server answers, and doing it beside the first job slows
that job. The order is: the server becomes ready; the default model (the one a request without
`model_id` gets) loads at once, since the first request most likely needs it; the standby
models (Kokoro) load after the first job has finished, or after `delay` seconds without one
(STANDBY_PRELOAD_DELAY). Not at a lowered thread priority: ONNX Runtime's pool threads would
inherit it and run that model's jobs at low priority for good.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Warmup:
    def __init__(self, *, default: Callable[[], None] | None, standby: Callable[[], None] | None,
                 delay: float, stopping: threading.Event) -> None:
        self._default = default
        self._standby = standby
        self._delay = delay
        self._stopping = stopping
        self._first_job = threading.Event()
        self._started = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin warming (once); returns at once."""
        if self._started:
            return
        self._started = True
        self._thread = threading.Thread(target=self._run, name="warmup", daemon=True)
        self._thread.start()

    def join(self, timeout: float) -> None:
        """Wait for a load in progress to end (call after setting `stopping`): a process that
        exits while ONNX Runtime is still building a session aborts instead of exiting."""
        if self._thread is not None:
            self._thread.join(timeout)

    def job_finished(self) -> None:
        """A job has finished: standby models may load now."""
        self._first_job.set()

    def _run(self) -> None:
        if self._default is not None:
            try:
                self._default()
            except Exception:
                log.exception("could not warm the default model")
        if self._standby is None:
            return
        self._first_job.wait(self._delay)
        if self._stopping.is_set():
            return
        try:
            self._standby()
        except Exception:
            log.exception("could not preload standby models")

