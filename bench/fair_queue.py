"""Fair scheduling: how long a single short job waits behind a 100-line batch.

Submits a 100-line batch (espeak, one CPU worker so the queue is the only thing measured),
then one short single job, and reports the single job's wait (queued -> started) and the
batch's progress when it started. With FIFO claiming it waits for the whole batch; with the
fair order (interactive first) for at most the line already running.
`python -m bench.fair_queue` (set PYTHONPATH to another checkout's src/ to measure it).
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.common import write_table
from tests.conftest import make_server

LINES = 100
LINE = "This is one line of a long batch, read out at an even pace."


def _at(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def measure() -> dict:
    with tempfile.TemporaryDirectory() as root:
        server = make_server(Path(root), LOG_LEVEL="WARNING", CPU_WORKERS="1").start()
        try:
            with server.client() as http:
                batch = http.post("/api/tts/batch", json={
                    "lines": [f"{LINE} Line {i}." for i in range(LINES)],
                    "model_id": "espeak"})
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
        finally:
            server.kill_all()
    return {"lines": LINES, "wait_s": _at(job["started_at"]) - _at(job["queued_at"]),
            "batch_lines_done_first": done_before}


def main() -> None:
    write_table("fair_queue", [measure()], [("batch lines", "lines", "d"),
                                            ("single job's wait (s)", "wait_s", ".2f"),
                                            ("batch lines finished before it",
                                             "batch_lines_done_first", "d")])


if __name__ == "__main__":
    main()
