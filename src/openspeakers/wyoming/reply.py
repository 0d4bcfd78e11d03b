"""One answer to a client: the audio of its jobs, in order, framed as the protocol wants.

`synthesize`                      -> audio-start, audio-chunk..., audio-stop
`synthesize-start ... -stop`      -> audio-start, audio-chunk..., audio-stop, synthesize-stopped

Jobs are added while earlier ones still play (one per sentence when text streams in); each
job's audio is forwarded chunk by chunk as the worker publishes it, and consecutive jobs are
joined with the same short pause the engines put between sentences. Replies of one connection
are written one after another, never interleaved.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import numpy as np
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.tts import SynthesizeStopped

from openspeakers.engines.base import SENTENCE_PAUSE_S
from openspeakers.jobs.listen import JobFailedError, ListenedJob
from openspeakers.wyoming.pcm import CHANNELS, WIDTH, pcm_chunks, silence

log = logging.getLogger(__name__)

Writer = Callable[[Event], Awaitable[None]]


class Reply:
    def __init__(self, write: Writer, *, streaming: bool, sample_rate: int,
                 after: Reply | None = None, on_error: Callable[[], Awaitable[None]]) -> None:
        """`sample_rate`: the engine's, for the audio-start of a reply without audio;
        `after`: the previous reply of the connection, written first;
        `on_error`: called after an `error` event was sent (the handler closes the connection).
        """
        self._write = write
        self._streaming = streaming
        self._rate = sample_rate
        self._on_error = on_error
        self._queue: asyncio.Queue[ListenedJob | None] = asyncio.Queue()
        self._jobs: list[ListenedJob] = []
        self._samples = 0
        self._task = asyncio.create_task(self._run(after), name="wyoming reply")

    def add(self, job: ListenedJob) -> None:
        self._jobs.append(job)
        self._queue.put_nowait(job)

    def finish(self) -> None:
        """No more jobs: end the reply once the queued ones have played."""
        self._queue.put_nowait(None)

    @property
    def done(self) -> bool:
        return self._task.done()

    async def wait(self) -> None:
        await asyncio.wait([self._task])

    async def abort(self) -> None:
        """The client went away: stop writing and cancel every job not yet finished."""
        self._task.cancel()
        await self.wait()
        await self._release_all()

    async def _run(self, after: Reply | None) -> None:
        try:
            if after is not None:
                await after.wait()
            await self._forward()
        except JobFailedError as exc:
            log.warning("wyoming: a job failed: %s", exc)
            await self._fail(str(exc))
        except (ConnectionError, OSError) as exc:
            log.info("wyoming: client went away while audio was written (%s)", exc)
        except Exception as exc:
            log.exception("wyoming: writing audio failed")
            await self._fail(f"internal error: {type(exc).__name__}")
        finally:
            await asyncio.shield(self._release_all())

    async def _forward(self) -> None:
        started = False
        while (job := await self._queue.get()) is not None:
            try:
                first_chunk = True
                async for audio, rate in job.audio():
                    if not started:
                        self._rate, started = rate, True
                        await self._write(AudioStart(rate, WIDTH, CHANNELS, timestamp=0).event())
                    elif first_chunk:  # a later sentence: the pause engines put between them
                        await self._send(silence(SENTENCE_PAUSE_S, rate))
                    first_chunk = False
                    await self._send(audio)
            finally:
                await job.release()
        if not started:
            await self._write(AudioStart(self._rate, WIDTH, CHANNELS, timestamp=0).event())
        await self._write(AudioStop(timestamp=self._ms).event())
        if self._streaming:
            await self._write(SynthesizeStopped().event())

    @property
    def _ms(self) -> int:
        return self._samples * 1000 // self._rate

    async def _send(self, audio: np.ndarray) -> None:
        for data in pcm_chunks(audio):
            await self._write(AudioChunk(self._rate, WIDTH, CHANNELS, data,
                                         timestamp=self._ms).event())
            self._samples += len(data) // (WIDTH * CHANNELS)

    async def _fail(self, message: str) -> None:
        try:
            await self._write(Error(text=message, code="synthesis-failed").event())
        except (ConnectionError, OSError):
            return
        await self._on_error()

    async def _release_all(self) -> None:
        for job in self._jobs:
            await job.release()
