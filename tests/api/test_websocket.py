"""WebSocket events: order, real progress, audio chunks, late subscribers, GPU feed."""

from __future__ import annotations

import base64
import json

import httpx
import numpy as np
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from tests.conftest import Server

BLOCKER = " ".join(f"Blocking sentence {i} keeps the kokoro worker busy." for i in range(30))


def ws_url(server: Server, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def receive_all(server: Server, job_id: str) -> list[dict]:
    """Every message until the server closes; an error close adds {"close": code}."""
    events = []
    with connect(ws_url(server, f"/ws/jobs/{job_id}"), open_timeout=10) as ws:
        try:
            for message in ws:
                events.append(json.loads(message))
        except ConnectionClosedError as closed:
            events.append({"close": closed.rcvd.code if closed.rcvd else None})
    return events


def test_events_arrive_in_order_with_progress_and_audio(server: Server,
                                                        http: httpx.Client) -> None:
    blocker = http.post("/api/tts/generate", json={"text": BLOCKER, "model_id": "kokoro"}).json()
    text = "First sentence here. Second sentence here. Third sentence here."
    job = http.post("/api/tts/generate", json={"text": text, "model_id": "kokoro"}).json()
    with connect(ws_url(server, f"/ws/jobs/{job['id']}"), open_timeout=10) as ws:
        first = json.loads(ws.recv(timeout=10))
        assert first["type"] == "queued", "the job waits behind the blocker"
        http.delete(f"/api/tts/jobs/{blocker['id']}")
        events = [first] + [json.loads(message) for message in ws]

    kinds = [e["type"] for e in events]
    assert kinds[0] == "queued" and kinds[-1] == "complete"
    assert kinds.index("loading") < kinds.index("generating") < kinds.index("audio_chunk")
    assert kinds.count("audio_chunk") == 3, "one chunk per sentence"
    progress = [e["progress"] for e in events if e["type"] == "generating"]
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] == 1.0
    assert len(set(progress)) >= 3, "progress moves with the text"
    chunks = [e for e in events if e["type"] == "audio_chunk"]
    assert all(c["sample_rate"] == 24000 and c["encoding"] == "pcm_s16le" for c in chunks)
    samples = sum(len(base64.b64decode(c["audio"])) // 2 for c in chunks)
    assert abs(samples / 24000 - events[-1]["duration"]) < 0.01


def test_late_subscriber_gets_the_final_state(server: Server, http: httpx.Client) -> None:
    job = http.post("/api/tts/generate", json={"text": "Already done.", "model_id": "piper"})
    done = server.wait_job(job.json()["id"])
    events = receive_all(server, done["id"])
    assert [e["type"] for e in events] == ["complete"]
    assert events[0]["duration"] == done["duration_seconds"]


def test_failed_and_cancelled_jobs_are_reported(server: Server, http: httpx.Client) -> None:
    job = http.post("/api/tts/generate", json={"text": BLOCKER, "model_id": "kokoro"}).json()
    http.delete(f"/api/tts/jobs/{job['id']}")
    server.wait_job(job["id"])
    events = receive_all(server, job["id"])
    assert events[-1]["type"] == "cancelled" and events[-1]["error"]


def test_unknown_job_on_websocket(server: Server) -> None:
    events = receive_all(server, "f" * 32)
    assert events == [{"type": "error", "error": f"no job with id '{'f' * 32}'"},
                      {"close": 4404}]


def test_gpu_feed_every_second(server: Server) -> None:
    with connect(ws_url(server, "/ws/gpu"), open_timeout=10) as ws:
        stats = [json.loads(ws.recv(timeout=5)) for _ in range(2)]
    assert all(s["available"] is False and "CPU only" in s["message"] for s in stats)
    assert np.all([s["devices"] == [] for s in stats])
