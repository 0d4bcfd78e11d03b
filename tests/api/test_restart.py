"""A server killed mid-job and restarted leaves no job `running`, and loses no finished audio."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.conftest import Server, make_server
from tests.helpers import probe

LONG = " ".join(f"Restart sentence {i} is long enough to keep kokoro busy." for i in range(40))


def kill_mid_job(server: Server, load: int = 0) -> tuple[str, str, list[str]]:
    """Kill -9 the server while a kokoro job runs (and `load` piper jobs run or wait)."""
    with server.client() as http:
        done = http.post("/api/tts/generate", json={"text": "Saved before the crash.",
                                                    "model_id": "piper"}).json()
        server.wait_job(done["id"])
        job = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"}).json()
        others = [http.post("/api/tts/generate", json={"text": LONG[:400], "model_id": "piper"})
                  .json()["id"] for _ in range(load)]
        deadline = time.monotonic() + 60
        while http.get(f"/api/tts/jobs/{job['id']}").json()["progress"] == 0:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    server.kill(signal.SIGKILL)
    return done["id"], job["id"], others


def test_killed_job_is_rerun_after_restart(tmp_path: Path) -> None:
    """Under load: a kokoro job and piper jobs on two workers, running and queued."""
    server = make_server(tmp_path, CPU_WORKERS="2").start()
    done_id, job_id, others = kill_mid_job(server, load=6)
    assert list(server.audio_dir.glob(f".{job_id}.partial")), "the crash left a partial file"

    server.start()
    try:
        job = server.wait_job(job_id, timeout=600)
        assert job["status"] == "complete" and job["attempts"] == 2
        assert not list(server.audio_dir.glob(f".{job_id}.partial"))
        for other in others:
            assert server.wait_job(other, timeout=600)["status"] == "complete"
        with server.client() as http:
            assert probe(http.get(f"/api/tts/jobs/{done_id}/audio").content)["duration"] > 0.5
            running = http.get("/api/tts/jobs", params={"status": "running"}).json()
            assert running["total"] == 0
            health = http.get("/api/system/health")
            assert health.status_code == 200 and health.json()["problems"] == []
        assert not list(server.audio_dir.glob(".*.partial")), "no partial file is left"
    finally:
        server.kill()


def test_job_fails_with_a_reason_when_attempts_are_spent(tmp_path: Path) -> None:
    server = make_server(tmp_path, MAX_JOB_ATTEMPTS="1").start()
    _, job_id, _ = kill_mid_job(server)
    server.start()
    try:
        job = server.wait_job(job_id, timeout=30)
        assert job["status"] == "failed"
        assert "interrupted 1 times" in job["error"]
        assert not list(server.audio_dir.glob(f"*{job_id}*"))
    finally:
        server.kill()
