"""A job submitted for a listener: validated, subscribed to, enqueued; its audio as it comes.

Every streaming entry point (/v1/audio/speech, Wyoming) uses this: the subscription is made
before the job is enqueued, so no audio chunk is missed, and a job nobody listens to any more
is cancelled, even when the listener goes away while the job is being enqueued.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import ExitStack
from pathlib import Path
from typing import cast

import numpy as np

from openspeakers.audio.encoding import AudioFormat, decode
from openspeakers.jobs.events import TERMINAL, Event
from openspeakers.jobs.result_cache import served_from_cache
from openspeakers.jobs.service import JobService, JobSpec
from openspeakers.pools import run_in

log = logging.getLogger(__name__)


class JobFailedError(RuntimeError):
    """The job failed or was cancelled before (or while) its audio streamed."""


class ListenedJob:
    """A committed, enqueued job and the subscription to its events."""

    def __init__(self, jobs: JobService, job_id: str, events: asyncio.Queue[Event],
                 subscription: ExitStack, cached: Path | None = None) -> None:
        self.jobs = jobs
        self.id = job_id
        self._events = events
        self._subscription = subscription
        self.cached = cached
        """The finished audio file when the job was answered from the result cache."""
        self._finished = cached is not None

    async def audio(self) -> AsyncIterator[tuple[np.ndarray, int]]:
        """(float32 samples, sample rate) per chunk, in order, until the job completes.

        Raises `JobFailedError` when the job fails or is cancelled. A job answered from the
        result cache yields its stored audio, decoded, as one chunk.
        """
        if self.cached is not None:
            fmt = cast(AudioFormat, self.cached.suffix.lstrip("."))  # the job's output format
            yield await run_in(self.jobs.pools.encode, decode, self.cached, fmt)
            return
        try:
            while True:
                event = await self._events.get()
                if event["type"] == "audio_chunk":
                    yield event["audio"], int(event["sample_rate"])
                elif event["type"] == "complete":
                    break
                elif event["type"] in TERMINAL:
                    raise JobFailedError(event.get("error") or f"job {event['type']}")
            self._finished = True
        except JobFailedError:
            self._finished = True
            raise

    def release_now(self) -> None:
        """Stop listening; cancel the job if it has not finished. Never waits (safe in a
        cancelled task: the cancel runs in a worker thread)."""
        self._subscription.close()
        if not self._finished:
            self._finished = True
            asyncio.get_running_loop().run_in_executor(self.jobs.pools.db, self.jobs.cancel_quietly,
                                                       self.id)

    async def release(self) -> None:
        """Stop listening; a job that has not finished is cancelled (idempotent).

        The cancel is shielded: release usually runs because the listener's task is being
        cancelled (client gone), and a cancelled pool call that has not started yet would
        never run, leaving the job running for nobody.
        """
        self._subscription.close()
        if not self._finished:
            self._finished = True
            await asyncio.shield(self.jobs.pools.db_call(self.jobs.cancel_quietly, self.id))


async def submit(jobs: JobService, spec: JobSpec, *, max_chars: int | None = None) -> ListenedJob:
    """Validate `spec` (raising the job service's errors), subscribe, then enqueue."""
    job = await jobs.pools.db_call(jobs.validate, spec, max_chars=max_chars)
    subscription = ExitStack()
    events = subscription.enter_context(jobs.events.subscribe_async(job.id))
    enqueue = asyncio.ensure_future(jobs.pools.db_call(jobs.enqueue, [job]))
    try:
        await asyncio.shield(enqueue)
    except asyncio.CancelledError:
        subscription.close()
        # The commit goes on in its thread; cancel the job as soon as it is stored.
        loop = asyncio.get_running_loop()
        enqueue.add_done_callback(lambda done: done.cancelled() or done.exception() or
                                  loop.run_in_executor(jobs.pools.db, jobs.cancel_quietly, job.id))
        raise
    except BaseException:
        subscription.close()
        raise
    log.debug("job %s submitted for a listener (%s, voice %s)", job.id, job.model_id,
              job.voice)
    cached = (jobs.settings.audio_output_dir / str(job.audio_path)
              if served_from_cache(job) else None)
    return ListenedJob(jobs, job.id, events, subscription, cached)
