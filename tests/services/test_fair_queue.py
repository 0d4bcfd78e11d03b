"""Fair scheduling end to end, with both executors: a single job goes ahead of a waiting batch,
and the lines of two batches interleave. With Celery a real worker takes the tickets from a
real Redis broker, and the order comes from the jobs table (PostgreSQL), not the broker.

One worker on the queue (CPU_WORKERS=1, one Celery worker), so the order the rows ran in is the
claim order; asserted on the rows' started_at and finished_at.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server, celery_server, make_server

LINE = ("Line {i} of a long batch is read out at an even pace, with a second clause so that "
        "it takes a moment to speak.")


@contextmanager
def one_worker(root: Path, executor: str) -> Iterator[Server]:
    if executor == "celery":
        with celery_server(root, queues=("tts.cpu",)) as server:
            yield server
        return
    server = make_server(root, CPU_WORKERS="1").start()
    try:
        yield server
    finally:
        server.kill_all()


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def submit_batch(http: httpx.Client, lines: int) -> str:
    response = http.post("/api/tts/batch", json={
        "lines": [LINE.format(i=i) for i in range(lines)], "model_id": "espeak"})
    assert response.status_code == 202, response.text
    return str(response.json()["batch_id"])


def finished_batch(server: Server, batch_id: str) -> list[dict]:
    with server.client() as http:
        jobs = http.get(f"/api/tts/batches/{batch_id}").json()["jobs"]
    done = [server.wait_job(job["id"], timeout=300) for job in jobs]
    assert {job["status"] for job in done} == {"complete"}
    return done


@pytest.mark.parametrize("executor", ["local", "celery"])
def test_single_job_goes_ahead_of_a_batch(tmp_path: Path, executor: str) -> None:
    with one_worker(tmp_path, executor) as server, server.client() as http:
        batch_id = submit_batch(http, 20)
        single = http.post("/api/tts/generate", json={"text": "A short single job.",
                                                       "model_id": "espeak"})
        assert single.status_code == 202, single.text
        job = server.wait_job(single.json()["id"], timeout=300)
        assert job["status"] == "complete"
        lines = finished_batch(server, batch_id)
        before = [line for line in lines
                  if _at(line["finished_at"]) <= _at(job["finished_at"])]
        assert len(before) < 10, f"{len(before)} of 20 batch lines finished before the single job"


@pytest.mark.parametrize("executor", ["local", "celery"])
def test_lines_of_two_batches_interleave(tmp_path: Path, executor: str) -> None:
    with one_worker(tmp_path, executor) as server, server.client() as http:
        first = submit_batch(http, 16)
        second = submit_batch(http, 8)
        lines = sorted(finished_batch(server, first) + finished_batch(server, second),
                       key=lambda line: _at(line["started_at"]))
        ran = [(line["batch_id"] == second, line["text"]) for line in lines]
        start = next(n for n, (is_second, _) in enumerate(ran) if is_second)
        assert start < 8, f"the second batch started after {start} lines of the first"
        # from there on, line n of every batch before line n+1 of any: they alternate
        index = {LINE.format(i=i): i for i in range(16)}
        after = [index[text] for _, text in ran[start:]]
        assert after == sorted(after), after
        second_done = max(n for n, (is_second, _) in enumerate(ran) if is_second)
        assert second_done < len(ran) - 1, "the second batch ended before the first did"
