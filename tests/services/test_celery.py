"""The Celery executor on the real PostgreSQL and Redis: crashes, load, GPU arbitration.

(The whole API suite also runs against Celery: see the `server` fixture.)
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis
import yaml

from tests.conftest import REDIS_URL, Server, celery_server, redis_namespace

LONG = " ".join(f"Crash sentence {i} keeps the kokoro worker busy for a while." for i in range(30))


def wait_progress(server: Server, job_id: str) -> None:
    deadline = time.monotonic() + 90
    with server.client() as http:
        while http.get(f"/api/tts/jobs/{job_id}").json()["progress"] == 0:
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.05)


def no_job_running(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with server.client() as http:
        while http.get("/api/tts/jobs", params={"status": "running"}).json()["total"]:
            assert time.monotonic() < deadline, "a job stayed running after its worker died"
            time.sleep(0.2)


def until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.1)


def test_sigkilled_worker_job_is_redelivered_and_completes(tmp_path: Path) -> None:
    with celery_server(tmp_path, queues=("tts.kokoro",)) as server:
        with server.client() as http:
            job = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"}).json()
        wait_progress(server, job["id"])
        server.kill_worker(next(iter(server.workers)))
        no_job_running(server)
        server.start_worker("tts.kokoro")
        done = server.wait_job(job["id"], timeout=240)
        assert done["status"] == "complete" and done["attempts"] == 2
        assert "re-queued" not in (done["error"] or "")
        assert not list(server.audio_dir.glob(f".{job['id']}.partial"))


def pool_child(server: Server, name: str) -> int:
    """The prefork child of a worker (the process that runs the jobs)."""
    parent = server.workers[name].pid
    deadline = time.monotonic() + 30
    while True:
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        if children:
            return int(children[0])
        assert time.monotonic() < deadline, "the worker has no pool child"
        time.sleep(0.2)


def test_killed_pool_child_is_replaced_under_load(tmp_path: Path) -> None:
    """kill -9 of the process running a job, with jobs queued on both workers: the worker
    starts a new child by itself, the job runs again, every job completes, health is ok."""
    with celery_server(tmp_path) as server:
        with server.client() as http:
            job = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"}).json()
            load = [http.post("/api/tts/generate", json={"text": text, "model_id": model})
                    .json()["id"] for text, model in [(LONG[:300], "kokoro")] * 2
                    + [(LONG[:400], "piper")] * 4]
            wait_progress(server, job["id"])
            name = next(n for n in server.workers if n.startswith("tts.kokoro"))
            child = pool_child(server, name)
            os.kill(child, signal.SIGKILL)
            done = server.wait_job(job["id"], timeout=240)
            assert done["status"] == "complete" and done["attempts"] == 2
            for other in load:
                assert server.wait_job(other, timeout=240)["status"] == "complete"
            assert server.workers[name].poll() is None, "the worker itself lives on"
            no_job_running(server)
            health = http.get("/api/system/health")
            assert health.status_code == 200 and health.json()["problems"] == [], health.text
            assert not list(server.audio_dir.glob(".*.partial"))


def test_job_fails_with_a_reason_when_its_attempts_are_spent(tmp_path: Path) -> None:
    with celery_server(tmp_path, queues=("tts.kokoro",), MAX_JOB_ATTEMPTS="1") as server:
        with server.client() as http:
            job = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"}).json()
        wait_progress(server, job["id"])
        server.kill_worker(next(iter(server.workers)))
        failed = server.wait_job(job["id"], timeout=60)
        assert failed["status"] == "failed"
        assert "stopped sending heartbeats" in failed["error"]


def test_two_hundred_concurrent_jobs_run_exactly_once(tmp_path: Path) -> None:
    with celery_server(tmp_path, queues=("tts.cpu", "tts.cpu")) as server:
        def submit(index: int) -> str:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                response = http.post("/api/tts/generate", json={
                    "text": f"Job number {index}.", "model_id": "espeak"})
                assert response.status_code == 202, response.text
                return response.json()["id"]

        with ThreadPoolExecutor(max_workers=16) as pool:
            ids = list(pool.map(submit, range(200)))
        assert len(set(ids)) == 200
        jobs = [server.wait_job(job_id, timeout=300) for job_id in ids]
        assert {j["status"] for j in jobs} == {"complete"}
        assert {j["attempts"] for j in jobs} == {1}, "each job was claimed once"
        files = [p for p in server.audio_dir.iterdir() if not p.name.startswith(".")]
        assert sorted(p.stem for p in files) == sorted(ids)
        with server.client() as http:
            total = http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]
        assert total == 200


def test_workers_never_hold_more_vram_than_the_budget(tmp_path: Path) -> None:
    registry = yaml.safe_load(Path("configs/models.yaml").read_text())
    registry["models"]["piper"]["vram_gb"] = 6.0
    registry["models"]["kokoro"]["vram_gb"] = 6.0
    config = tmp_path / "models.yaml"
    config.write_text(yaml.safe_dump(registry))
    with celery_server(tmp_path / "server", MODELS_CONFIG=str(config),
                       GPU_VRAM_GB="8", MODEL_IDLE_TIMEOUT="3600") as server:
        client = redis.Redis.from_url(REDIS_URL)
        prefix = server.env["REDIS_PREFIX"]
        peak = [0.0]
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                held = 0.0
                for key in client.scan_iter(f"{prefix}gpu:0:held:*"):
                    held += sum(yaml.safe_load(client.get(key) or b"{}").values())
                peak[0] = max(peak[0], held)
                time.sleep(0.02)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            with server.client() as http:
                for model_id in ("piper", "kokoro", "piper"):
                    job = http.post("/api/tts/generate", json={
                        "text": "Whose turn is it on the GPU?", "model_id": model_id}).json()
                    assert server.wait_job(job["id"], timeout=120)["status"] == "complete"
                    other = "kokoro" if model_id == "piper" else "piper"
                    deadline = time.monotonic() + 10  # worker states arrive with heartbeats
                    while http.get(f"/api/models/{other}").json()["state"]["loaded"]:
                        assert time.monotonic() < deadline, f"{other} still loaded"
                        time.sleep(0.1)
        finally:
            stop.set()
            watcher.join()
        assert 6.0 <= peak[0] <= 8.0


def test_arbiter_waits_for_memory_and_asks_the_holder() -> None:
    from openspeakers.engines.arbiter import NotEnoughMemoryError, RedisArbiter

    with redis_namespace() as broker:
        client = redis.Redis.from_url(REDIS_URL)

        def arbiter(worker: str, timeout: float = 30) -> RedisArbiter:
            return RedisArbiter(client, prefix=broker["REDIS_PREFIX"], device=0, budget_gb=8,
                                worker=worker, ttl=30, timeout=timeout, poll=0.05)

        first, second = arbiter("first"), arbiter("second")
        first.acquire("piper", 6)
        got = threading.Event()
        waiter = threading.Thread(target=lambda: (second.acquire("kokoro", 6), got.set()))
        waiter.start()
        deadline = time.monotonic() + 10
        while not first.wanted_by_other():
            assert time.monotonic() < deadline, "the waiter never asked for memory"
            time.sleep(0.02)
        assert not got.is_set(), "6 + 6 GB does not fit in 8"
        first.release("piper")
        waiter.join(10)
        assert got.is_set() and second.held == {"kokoro": 6}
        assert not first.wanted_by_other()

        with pytest.raises(NotEnoughMemoryError, match="did not free it"):
            arbiter("third", timeout=0.3).acquire("big", 4)
        with pytest.raises(NotEnoughMemoryError, match="the GPU budget is 8"):
            arbiter("fourth").acquire("huge", 12)


def test_availability_comes_from_the_workers_environments(tmp_path: Path) -> None:
    """The API's environment has no GPU engines; a worker that reports it can run one (as a
    worker in that group's environment on a GPU host does with each heartbeat) makes it
    available, and a worker that cannot says why."""
    with celery_server(tmp_path, queues=("tts.kokoro",)) as server:
        client = redis.Redis.from_url(server.env["CELERY_BROKER_URL"])
        prefix = server.env["REDIS_PREFIX"]
        real = json.loads(client.get(f"{prefix}worker:{next(iter(server.workers))}") or "{}")
        assert real["serves"]["kokoro"] is None  # its environment runs the ONNX build
        assert "extra not installed" in real["serves"]["kokoro-torch"]
        with server.client() as http:
            before = http.get("/api/models/orpheus").json()
            assert not before["available"]
            assert before["unavailable_reason"].startswith(
                "no worker serves queue 'tts.orpheus': start `openspeakers worker --queues "
                "tts.orpheus`")
            assert "canopylabs/orpheus-3b-0.1-ft" in before["unavailable_reason"]

            report = {"models": {}, "serves": {"orpheus": "no CUDA device: this engine needs "
                                                           "an NVIDIA GPU"}}
            client.set(f"{prefix}worker:gpu-box", json.dumps(report), px=60_000)
            until(lambda: "gpu-box" in (http.get("/api/models/orpheus").json()[
                "unavailable_reason"] or ""))  # workers' state is cached for a second
            refused = http.post("/api/tts/generate", json={"text": "Hi.", "model_id": "orpheus"})
            assert refused.status_code == 503
            assert "on worker gpu-box: no CUDA device" in refused.text

            report["serves"]["orpheus"] = None
            client.set(f"{prefix}worker:gpu-box", json.dumps(report), px=60_000)
            until(lambda: http.get("/api/models/orpheus").json()["available"] is True)
            job = http.post("/api/tts/generate", json={"text": "Hi.", "model_id": "orpheus"})
            assert job.status_code == 202, job.text
            assert job.json()["status"] == "pending"  # queued for the GPU worker
            assert http.delete(f"/api/tts/jobs/{job.json()['id']}").status_code == 200


def test_a_job_that_does_not_stop_is_killed_whichever_ticket_runs_it(tmp_path: Path) -> None:
    """A ticket claims the first pending job in fair order, not its own: the single job below
    runs on the second batch line's ticket. Cancelling it with no grace kills the process
    running it (the claim recorded that ticket on the row), and the work left still runs."""
    with celery_server(tmp_path, queues=("tts.kokoro",), CANCEL_GRACE="0") as server, \
            server.client() as http:
        batch = http.post("/api/tts/batch", json={"lines": ["First line.", "Second line."],
                                                  "model_id": "kokoro"}).json()
        single = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"})
        assert single.status_code == 202, single.text
        job_id = single.json()["id"]
        wait_progress(server, job_id)
        child = pool_child(server, next(iter(server.workers)))
        stopped = http.delete(f"/api/tts/jobs/{job_id}").json()
        assert stopped["status"] == "cancelled"
        assert stopped["error"] == ("cancelled: the worker was stopped after it did not stop "
                                    "by itself")
        until(lambda: not Path(f"/proc/{child}").exists(), timeout=30)
        lines = [server.wait_job(line, timeout=240) for line in batch["job_ids"]]
        assert [line["status"] for line in lines] == ["complete", "complete"]
        assert _at(lines[1]["started_at"]) > _at(stopped["started_at"]), "the single went first"
        no_job_running(server)


def _at(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
