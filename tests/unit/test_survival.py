"""The pieces that keep workers alive and requests cheap: write retries and brief caches."""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlalchemy.exc import OperationalError

from openspeakers.db.writes import WriteHealth
from openspeakers.expiring import Expiring


def full_disk() -> OperationalError:
    return OperationalError("UPDATE tts_jobs ...", {}, sqlite3.OperationalError(
        "database or disk is full"))


def test_a_failed_write_is_retried_until_the_database_takes_it() -> None:
    health = WriteHealth()
    tries: list[float] = []
    seen: list[str | None] = []

    def write() -> str:
        tries.append(time.monotonic())
        seen.append(health.problem)
        if len(tries) < 3:
            raise full_disk()
        return "written"

    assert health.retry(write, what="test", stop=threading.Event(), max_delay=0.6) == "written"
    assert len(tries) == 3 and health.problem is None
    assert seen[2] is not None and "database or disk is full" in seen[2]
    assert tries[2] - tries[1] >= tries[1] - tries[0] > 0.4, "the waits grow"


def test_a_retry_gives_up_when_the_worker_stops() -> None:
    stop = threading.Event()
    stop.set()
    health = WriteHealth()

    def write() -> None:
        raise full_disk()

    assert health.retry(write, what="test", stop=stop, max_delay=1) is None
    assert "cannot be written: database or disk is full" in (health.problem or "")
    health.succeeded()
    assert health.problem is None


def test_values_are_reused_within_their_time_then_read_again() -> None:
    calls: list[str] = []
    cache: Expiring[str, int] = Expiring(0.2, lambda key: calls.append(key) or len(calls))
    assert [cache.get("a"), cache.get("a"), cache.get("b")] == [1, 1, 2]
    time.sleep(0.25)
    assert cache.get("a") == 3 and calls == ["a", "b", "a"]
    uncached: Expiring[str, int] = Expiring(0, lambda key: len(key))
    assert uncached.get("abc") == 3
