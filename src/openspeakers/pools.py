"""Thread pools for the blocking work of an async server, each sized for its kind of work.

The event loop never blocks: database and Redis queries, audio encoding and slow calls
(engines, model loads, transcription, files) each go to a pool of their own, so a burst of one
kind cannot starve the others. asyncio's default pool (a few threads on a small machine) is
left to libraries. Waits (long-polls, cancel confirmations, streams) are awaited on the loop
and hold no thread at all.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from openspeakers.config import Settings

P = ParamSpec("P")
T = TypeVar("T")


async def run_in(pool: Executor, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `call` in `pool` and await its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool, functools.partial(call, *args, **kwargs))


class Pools:
    """The server's pools (DB_THREADS, ENCODE_THREADS, BLOCKING_THREADS)."""

    def __init__(self, settings: Settings) -> None:
        self.db = ThreadPoolExecutor(settings.db_threads, thread_name_prefix="db")
        """Database and Redis queries: short calls, many at once."""
        self.encode = ThreadPoolExecutor(settings.encode_threads, thread_name_prefix="encode")
        """MP3/AAC/Opus/FLAC encoding of streamed audio."""
        self.blocking = ThreadPoolExecutor(settings.blocking_threads,
                                           thread_name_prefix="blocking")
        """Slow calls: model loads, engine voice lists, transcription, uploads, files."""

    async def db_call(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await run_in(self.db, call, *args, **kwargs)

    async def slow_call(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await run_in(self.blocking, call, *args, **kwargs)

    def close(self) -> None:
        for pool in (self.db, self.encode, self.blocking):
            pool.shutdown(wait=False, cancel_futures=True)
