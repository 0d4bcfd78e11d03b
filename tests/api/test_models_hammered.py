"""The models page under load: /api/models read from several clients while models are loaded,
unloaded and used by jobs in the same workers. Every answer is a 2xx."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import httpx

from tests.conftest import make_server

CYCLES = 8


def test_models_answer_while_models_load_unload_and_generate(tmp_path: Path) -> None:
    server = make_server(tmp_path, PRELOAD_STANDBY="false", CPU_WORKERS="2").start()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    done = threading.Event()

    def record(response: httpx.Response) -> None:
        with lock:
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{response.request.url.path}: {response.text[:300]}")

    def read() -> None:
        with server.client() as http:
            while not done.is_set():
                response = http.get("/api/models")
                record(response)
                if response.status_code == 200:
                    for model in response.json():
                        state = model["state"]
                        assert state["loaded"] in (True, False), model

    try:
        readers = [threading.Thread(target=read, daemon=True) for _ in range(3)]
        for thread in readers:
            thread.start()
        job_ids = []
        with server.client() as http:
            for cycle in range(CYCLES):
                for model_id in ("piper", "espeak", "kokoro"):
                    record(http.post(f"/api/models/{model_id}/load"))
                job = http.post("/api/tts/generate", json={
                    "text": f"Cycle {cycle}: models come and go.", "model_id": "piper"})
                record(job)
                job_ids.append(job.json()["id"])
                for model_id in ("espeak", "piper", "kokoro"):
                    record(http.post(f"/api/models/{model_id}/unload"))
        for job_id in job_ids:
            assert server.wait_job(job_id)["status"] == "complete"
        done.set()
        for thread in readers:
            thread.join(60)
    finally:
        done.set()
        server.kill_all()
    assert failures == []
    assert set(statuses) <= {200, 202}, statuses
    assert statuses[200] > CYCLES * 6  # the readers really read meanwhile
