"""Chaos: the database's disk fills up mid-job, then is freed.

SQLite lives on a small tmpfs of its own (a size-limited mount works for root too, where
chmod would not). While it is full: reads still answer, submissions get 503 with the reason,
health says `degraded`. Once it is freed: every job ends `complete` or `failed` with a reason,
health is `ok` again, and every worker still takes jobs.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tests.conftest import Server, make_server, service_missing
from tests.helpers import probe

LONG = " ".join(f"Disk sentence {i} keeps the kokoro worker writing progress." for i in range(8))
PIPER = " ".join(f"Piper line {i} writes its progress too." for i in range(8))


@contextmanager
def small_tmpfs(path: Path, size: str = "16m") -> Iterator[Path]:
    path.mkdir(parents=True)
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or str(exc)
        service_missing(f"cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): {detail!r}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def fill(directory: Path) -> Path:
    """Write a file until the file system has no space left."""
    filler = directory / "filler"
    with suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def wait_health(http: httpx.Client, status: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        health = http.get("/api/system/health")
        if health.json()["status"] == status:
            return {"code": health.status_code, **health.json()}
        assert time.monotonic() < deadline, f"health stayed {health.json()}"
        time.sleep(0.2)


def wait_progress(http: httpx.Client, job_id: str) -> None:
    deadline = time.monotonic() + 90
    while http.get(f"/api/tts/jobs/{job_id}").json()["progress"] == 0:
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)


def test_full_database_disk_mid_job(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "dbfs") as dbfs:
        server: Server = make_server(tmp_path / "server", DATA_DIR=str(dbfs / "data"),
                                     CPU_WORKERS="2", DB_RETRY_MAX_SECONDS="1").start()
        try:
            with server.client() as http:
                assert wait_health(http, "ok")["code"] == 200
                jobs = [http.post("/api/tts/generate", json={"text": LONG,
                                                            "model_id": "kokoro"}).json()]
                jobs += [http.post("/api/tts/generate", json={"text": PIPER,
                                                             "model_id": "piper"}).json()
                         for _ in range(4)]
                wait_progress(http, jobs[0]["id"])

                filler = fill(dbfs)
                degraded = wait_health(http, "degraded")
                assert degraded["code"] == 503
                assert any("database cannot be written" in p and "full" in p
                           for p in degraded["problems"]), degraded
                refused = http.post("/api/tts/generate", json={"text": "Hello.",
                                                              "model_id": "piper"})
                assert refused.status_code == 503, refused.text
                assert "database" in refused.json()["detail"]
                assert "full" in refused.json()["detail"]
                listed = http.get("/api/tts/jobs")  # reads still answer
                assert listed.status_code == 200
                assert {j["id"] for j in jobs} <= {j["id"] for j in listed.json()["items"]}
                time.sleep(2)
                filler.unlink()

                for job in jobs:
                    done = server.wait_job(job["id"], timeout=480)
                    assert done["status"] in ("complete", "failed"), done
                    if done["status"] == "failed":
                        assert done["error"], "a failed job says why"
                    else:
                        audio = http.get(f"/api/tts/jobs/{job['id']}/audio").content
                        assert probe(audio)["duration"] > 2.0
                healthy = wait_health(http, "ok")
                assert healthy["code"] == 200 and healthy["problems"] == []
                assert http.get("/api/tts/jobs", params={"status": "running"}).json()[
                    "total"] == 0

                # every worker still takes jobs: two at once on tts.cpu, one on tts.kokoro
                after = [http.post("/api/tts/generate", json={"text": text, "model_id": m})
                         .json() for text, m in (("After the storm.", "kokoro"),
                                                 (PIPER, "piper"), (PIPER, "piper"))]
                for job in after:
                    assert server.wait_job(job["id"], timeout=120)["status"] == "complete"
        finally:
            server.kill_all()
