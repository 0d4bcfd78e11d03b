"""What a process hands its model managers, engines and job runner, and how a job is stopped.

`Runtime` is built once by an entry point (the app's `AppContext`, a Celery worker child, the
CLI) from its `Settings`; nothing below it looks its configuration up. Two runtimes with
different settings live side by side in one process (tests do that).

`CancelSignal` is one job's stop request. The runner checks it before each sentence or chunk;
engines that generate in a background thread pass it down to the backend (a transformers
`StoppingCriteria`, a vLLM request abort), so a cancelled job stops within one decoding step
instead of running on to its token limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from openspeakers.config import Settings

if TYPE_CHECKING:
    from openspeakers.analysis.service import Analysis
    from openspeakers.audio.calibration import Calibration
    from openspeakers.engines.sentence_cache import SentenceCache


class Cancelled(Exception):  # noqa: N818 - reads as what happened: `except Cancelled`
    """Raised where a cancelled job's work stops."""


class CancelSignal:
    """A stop request, set once and read from any thread.

    `poll` is asked on every check until it says yes (the executor's flag: a set lookup in the
    local executor, a Redis key in a Celery worker). `child()` makes a signal that is also set
    when this one is, so a helper can stop its own thread without cancelling the job.
    """

    def __init__(self, poll: Callable[[], bool] | None = None,
                 parent: CancelSignal | None = None) -> None:
        self._event = threading.Event()
        self._poll = poll
        self._parent = parent

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        if self._event.is_set():
            return True
        if (self._parent is not None and self._parent.is_set()) or (
                self._poll is not None and self._poll()):
            self._event.set()
            return True
        return False

    def check(self) -> None:
        """Raise `Cancelled` if the signal is set."""
        if self.is_set():
            raise Cancelled

    def child(self) -> CancelSignal:
        return CancelSignal(parent=self)


def never() -> CancelSignal:
    """A signal nobody holds, for callers without a job (tests, benchmarks, the CLI's `say`)."""
    return CancelSignal()


@dataclass(frozen=True)
class Runtime:
    """Settings and the services built from them, shared by a process's workers."""

    settings: Settings = field(default_factory=lambda: Settings.model_construct())
    """Defaults (`Settings.model_construct()`: no environment read) when not given."""

    @cached_property
    def analysis(self) -> Analysis:
        """Transcription and speaker similarity (their models load on first use)."""
        from openspeakers.analysis.service import Analysis

        return Analysis(self.settings)

    @cached_property
    def sentence_cache(self) -> SentenceCache:
        """Short sentences already synthesised by this process's engines (SENTENCE_CACHE_*)."""
        from openspeakers.engines.sentence_cache import SentenceCache

        return SentenceCache(self.settings.sentence_cache_max_bytes,
                             self.settings.sentence_cache_max_chars)

    @cached_property
    def loudness(self) -> Calibration:
        """The loudness each (model, voice) has, learnt from its outputs (one per process, so
        its cache and lock are shared by the workers)."""
        from openspeakers.audio.calibration import Calibration

        return Calibration(self.settings.loudness_calibration_path)
