"""A listener that goes away must still cancel its job, even when its task is cancelled."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress

from openspeakers.jobs.listen import ListenedJob


class RecordingJobs:
    def __init__(self) -> None:
        self.cancelled: list[str] = []
        self.done = threading.Event()

    def cancel_quietly(self, job_id: str) -> None:
        self.cancelled.append(job_id)
        self.done.set()


async def test_release_cancels_the_job_even_if_the_releasing_task_is_cancelled() -> None:
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(executor)
    busy = threading.Event()
    blocker = loop.run_in_executor(None, busy.wait)  # the only thread is taken: work queues
    jobs = RecordingJobs()
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
    executor.shutdown(wait=True)
