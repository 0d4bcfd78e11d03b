"""The result cache over HTTP, on real servers with CACHE_ENABLED=true: a repeated request is
answered with the same bytes, `X-Cache: hit`, a complete row and no worker (with Celery: the
worker is gone when the repeat comes); changed requests and `cache: false` miss; the CLI's
`cache stats` and `cache clear`; CACHE_ENABLED=false never hits."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Server, celery_server, make_server
from tests.helpers import probe, transcribe, word_error_rate


def _speech(http: httpx.Client, text: str, **extra: Any) -> httpx.Response:
    response = http.post("/v1/audio/speech", json={
        "model": "piper", "input": text, "voice": "alloy", "response_format": "mp3", **extra})
    assert response.status_code == 200, response.text
    return response


def _job(http: httpx.Client, response: httpx.Response) -> dict[str, Any]:
    return http.get(f"/api/tts/jobs/{response.headers['X-Job-Id']}").json()


def _sse_audio(body: bytes) -> bytes:
    events = [json.loads(line[len(b"data: "):]) for line in body.split(b"\n")
              if line.startswith(b"data: ")]
    assert events[-1]["type"] == "speech.audio.done"
    return b"".join(base64.b64decode(e["audio"]) for e in events
                    if e["type"] == "speech.audio.delta")


def _repeat_is_served_without_a_worker(server: Server, stop_workers: bool) -> str:
    """A miss, then (workers stopped, if asked) the same request is a hit: same bytes, row
    complete and never claimed. Returns the text used. (A stopped Celery worker's report of
    what it can run lives HEARTBEAT_TIMEOUT seconds, so the repeats come at once.)"""
    text = "The cache keeps this answer for the next request."  # each server: its own cache
    with server.client() as http:
        first = _speech(http, text)
        assert first.headers["X-Cache"] == "miss"
        done = server.wait_job(first.headers["X-Job-Id"])
        assert done["status"] == "complete" and done["attempts"] == 1
        # what the first job stored (a live mp3 stream lacks the gapless tag a file gets)
        stored = http.get(done["audio_url"]).content
        assert probe(stored)["duration"] == pytest.approx(probe(first.content)["duration"],
                                                          abs=0.1)
        if stop_workers:
            for name in list(server.workers):
                server.kill_worker(name)
        again = _speech(http, text)
        assert again.headers["X-Cache"] == "hit"
        assert again.content == stored  # byte for byte
        row = _job(http, again)
        assert row["status"] == "complete" and row["attempts"] == 0  # no worker claimed it
        assert row["duration_seconds"] == pytest.approx(done["duration_seconds"])
        assert row["spoken_text"] == done["spoken_text"] and row["spoken_text"]
        assert http.get(row["audio_url"]).content == stored
        # OpenAI's SSE stream of a hit carries the same bytes
        sse = _speech(http, text, stream_format="sse")
        assert sse.headers["X-Cache"] == "hit" and _sse_audio(sse.content) == stored
        # /api/tts with the same model, voice, parameters and format: complete as answered
        submitted = http.post("/api/tts/generate", json={
            "model_id": "piper", "voice": "joe", "text": text, "format": "mp3"})
        assert submitted.status_code == 202 and submitted.headers["X-Cache"] == "hit"
        assert submitted.json()["status"] == "complete"
        assert http.get(submitted.json()["audio_url"]).content == stored
    assert word_error_rate(text, transcribe(again.content)) <= 0.2
    assert probe(again.content)["duration"] == pytest.approx(row["duration_seconds"], abs=0.15)
    return text


def test_a_repeat_is_served_from_the_cache_with_the_local_executor(tmp_path: Path) -> None:
    server = make_server(tmp_path, CACHE_ENABLED="true", CPU_WORKERS="1").start()
    try:
        text = _repeat_is_served_without_a_worker(server, stop_workers=False)
        with server.client() as http:
            for changed in ({"response_format": "wav"}, {"speed": 1.25},
                            {"input": text + " Really."}, {"cache": False},
                            {"model": "espeak", "voice": "en-us"},
                            {"model": "espeak", "voice": "en-gb"}):
                body = dict(changed)
                response = _speech(http, body.pop("input", text), **body)
                assert response.headers["X-Cache"] == "miss", changed
                assert server.wait_job(response.headers["X-Job-Id"])["attempts"] == 1
            submitted = http.post("/api/tts/generate", json={
                "model_id": "piper", "text": text, "format": "mp3", "cache": False})
            assert submitted.headers["X-Cache"] == "miss"
            assert server.wait_job(submitted.json()["id"])["attempts"] == 1
            stats = _cli(server, "stats")
            assert stats.startswith("6 outputs"), stats  # mp3, wav, speed, text, two voices
            assert "deleted 6 cached outputs" in _cli(server, "clear")
            assert _cli(server, "stats").startswith("0 outputs")
            assert _speech(http, text).headers["X-Cache"] == "miss"  # cleared: generated
    finally:
        server.kill_all()


def _cli(server: Server, command: str) -> str:
    result = subprocess.run([sys.executable, "-m", "openspeakers.cli", "cache", command],
                            env=server.env, capture_output=True, text=True, timeout=60,
                            check=True)
    return result.stdout


def test_a_repeat_is_served_from_the_cache_with_celery_and_no_worker_left(tmp_path: Path
                                                                          ) -> None:
    with celery_server(tmp_path, queues=("tts.cpu",), CACHE_ENABLED="true") as server:
        _repeat_is_served_without_a_worker(server, stop_workers=True)


def test_with_the_cache_disabled_nothing_is_a_hit(tmp_path: Path) -> None:
    server = make_server(tmp_path, CPU_WORKERS="1").start()  # CACHE_ENABLED=false
    try:
        with server.client() as http:
            for _ in range(2):
                response = _speech(http, "Said twice, generated twice.")
                assert response.headers["X-Cache"] == "miss"
                assert server.wait_job(response.headers["X-Job-Id"])["attempts"] == 1
        assert not (tmp_path / "data" / "cache").exists()
    finally:
        server.kill_all()
