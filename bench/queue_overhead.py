"""Queue overhead and throughput of the local and the Celery executor, in one run.

For each executor with 1 and 2 workers: submit -> start latency (p50/p95 over sequential short
piper jobs, from the rows' queued_at/started_at) and the time to finish 100 short piper jobs
submitted at once. The Celery runs need PostgreSQL and Redis (see tests/conftest.py).
Writes bench/results/queue_overhead.{json,md}.

    .venv/bin/python -m bench.queue_overhead [--sequential 30] [--burst 100]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bench.common import write_table
from tests.conftest import Server, celery_server, make_server


@contextmanager
def running(executor: str, workers: int, root: Path) -> Iterator[Server]:
    quiet = {"LOG_LEVEL": "WARNING", "PRELOAD_STANDBY": "false"}
    if executor == "local":
        server = make_server(root, CPU_WORKERS=str(workers), **quiet).start()
        try:
            yield server
        finally:
            server.kill_all()
    else:
        with celery_server(root, queues=("tts.cpu",) * workers, **quiet) as server:
            yield server


def seconds(job: dict, start: str, end: str) -> float:
    return (datetime.fromisoformat(job[end]) - datetime.fromisoformat(job[start])).total_seconds()


def measure(server: Server, sequential: int, burst: int) -> dict[str, float]:
    with server.client() as http:
        def submit(index: int) -> str:
            return http.post("/api/tts/generate", json={"text": f"Short job {index}.",
                                                        "model_id": "piper"}).json()["id"]

        server.wait_job(submit(-1))  # warm the model
        delays = []
        for index in range(sequential):
            job = http.get(f"/api/tts/jobs/{submit(index)}", params={"wait": 60}).json()
            delays.append(1000 * seconds(job, "queued_at", "started_at"))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = list(pool.map(submit, range(burst)))
        for job_id in ids:
            assert http.get(f"/api/tts/jobs/{job_id}", params={"wait": 60}).json()[
                "status"] == "complete"
        elapsed = time.perf_counter() - started
    delays.sort()
    return {"submit_to_start_p50_ms": statistics.median(delays),
            "submit_to_start_p95_ms": delays[int(0.95 * (len(delays) - 1))],
            "burst_jobs": burst, "burst_seconds": elapsed, "jobs_per_second": burst / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=30)
    parser.add_argument("--burst", type=int, default=100)
    args = parser.parse_args()
    rows = []
    for executor in ("local", "celery"):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as root, running(executor, workers,
                                                                 Path(root)) as server:
                row = {"executor": executor, "workers": workers,
                       **measure(server, args.sequential, args.burst)}
            rows.append(row)
            print(row, flush=True)
    write_table("queue_overhead", rows, [
        ("executor", "executor", "s"), ("workers", "workers", "d"),
        ("submit->start p50 (ms)", "submit_to_start_p50_ms", ".1f"),
        ("p95 (ms)", "submit_to_start_p95_ms", ".1f"),
        ("100 piper jobs (s)", "burst_seconds", ".2f"), ("jobs/s", "jobs_per_second", ".1f")])


if __name__ == "__main__":
    main()
