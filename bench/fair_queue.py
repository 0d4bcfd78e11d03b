"""Fair scheduling: how long a single short job waits behind a 100-line batch, per executor.

Submits a 100-line batch (espeak, one worker on the queue so the queue is the only thing
measured: CPU_WORKERS=1 locally, one Celery worker for tts.cpu on PostgreSQL and Redis), then
one short single job, and reports the single job's wait (queued -> started) and how many batch
lines finished before it started. With FIFO claiming it waits for the whole batch; with the
fair order (interactive first) for at most the line already running.

`python -m bench.fair_queue [--executor local|celery|both]` (default both, side by side; set
PYTHONPATH to another checkout's src/ to measure it: the Celery worker inherits it).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bench.common import write_table
from tests.conftest import Server, celery_server, make_server

LINES = 100
LINE = "This is one line of a long batch, read out at an even pace."


def _at(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


@contextmanager
def one_worker(root: Path, executor: str) -> Iterator[Server]:
    if executor == "celery":
        with celery_server(root, queues=("tts.cpu",), LOG_LEVEL="WARNING") as server:
            yield server
        return
    server = make_server(root, LOG_LEVEL="WARNING", CPU_WORKERS="1").start()
    try:
        yield server
    finally:
        server.kill_all()


def measure(executor: str) -> dict:
    with tempfile.TemporaryDirectory() as root, one_worker(Path(root), executor) as server, \
            server.client() as http:
        batch = http.post("/api/tts/batch", json={
            "lines": [f"{LINE} Line {i}." for i in range(LINES)], "model_id": "espeak"})
        batch.raise_for_status()
        time.sleep(0.5)  # the first line is running
        single = http.post("/api/tts/generate", json={"text": "Short one.",
                                                       "model_id": "espeak"}).json()
        job = server.wait_job(single["id"], timeout=1800)
        status = http.get(f"/api/tts/batches/{batch.json()['batch_id']}").json()
        done_before = sum(1 for j in status["jobs"] if j["finished_at"] and
                          _at(j["finished_at"]) <= _at(job["started_at"]))
        for job_id in batch.json()["job_ids"]:
            http.delete(f"/api/tts/jobs/{job_id}")
    return {"executor": executor, "lines": LINES,
            "wait_s": _at(job["started_at"]) - _at(job["queued_at"]),
            "batch_lines_done_first": done_before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executor", choices=["local", "celery", "both"], default="both")
    executors = ["local", "celery"] if (chosen := parser.parse_args().executor) == "both" \
        else [chosen]
    write_table("fair_queue", [measure(executor) for executor in executors],
                [("executor", "executor", "s"), ("batch lines", "lines", "d"),
                 ("single job's wait (s)", "wait_s", ".2f"),
                 ("batch lines finished before it", "batch_lines_done_first", "d")])


if __name__ == "__main__":
    main()
