"""A listener that goes away must still cancel its job, even when its task is cancelled."""

from __future__ import annotations

import asyncio
import threading
from contextlib import ExitStack, suppress

from openspeakers.config import Settings
from openspeakers.jobs.listen import ListenedJob
from openspeakers.pools import Pools


class RecordingJobs:
    def __init__(self) -> None:
        self.cancelled: list[str] = []
        self.done = threading.Event()
        self.pools = Pools(Settings(db_threads=1, _env_file=None))  # type: ignore[call-arg]

    def cancel_quietly(self, job_id: str) -> None:
        self.cancelled.append(job_id)
        self.done.set()


async def test_release_cancels_the_job_even_if_the_releasing_task_is_cancelled() -> None:
    loop = asyncio.get_running_loop()
    jobs = RecordingJobs()
    busy = threading.Event()
    blocker = loop.run_in_executor(jobs.pools.db, busy.wait)  # its only thread: work queues
    job = ListenedJob(jobs, "a" * 32, asyncio.Queue(), ExitStack())  # type: ignore[arg-type]

    task = asyncio.create_task(job.release())
    await asyncio.sleep(0.05)  # release() is waiting for its queued cancel
    task.cancel()  # ...when the client's task is cancelled (it went away)
    with suppress(asyncio.CancelledError):
        await task
    busy.set()
    await blocker
    assert await asyncio.to_thread(jobs.done.wait, 5), "the cancel never ran"
    assert jobs.cancelled == ["a" * 32]
    jobs.pools.close()
