"""Bounded work per key and per request, and secrets kept out of logs (issue 15)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from tests.api.test_auth import keys
from tests.audio_files import beckett_wav
from tests.conftest import Server, make_server

LONG = " ".join(f"Sentence number {i} is here to take a while." for i in range(40))


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = make_server(tmp_path_factory.mktemp("keyed"), DOCS_REQUIRE_KEY="true",
                         MAX_CONCURRENT_UPLOADS="1").start()
    yield server
    server.kill_all()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_carry_limits_shown_by_list(keyed: Server) -> None:
    keys(keyed, "create", "--name", "limited", "--rpm", "100", "--max-jobs", "3",
         "--chars-per-day", "5000")
    listed = keys(keyed, "list")
    assert "limited" in listed and "rpm 100, max-jobs 3, chars-per-day 5000" in listed
    unlimited = keys(keyed, "create", "--name", "free")
    assert unlimited.startswith("osk-") and "no limits" in keys(keyed, "list")


def test_requests_per_minute(keyed: Server) -> None:
    key = keys(keyed, "create", "--name", "rpm2", "--rpm", "2")
    for _ in range(2):
        assert httpx.get(f"{keyed.url}/api/tts/jobs", headers=bearer(key)).status_code == 200
    refused = httpx.get(f"{keyed.url}/api/tts/jobs", headers=bearer(key))
    assert refused.status_code == 429
    assert "rpm is 2" in refused.json()["detail"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    speech = httpx.post(f"{keyed.url}/v1/audio/speech", headers=bearer(key),
                        json={"model": "piper", "input": "hi"})
    assert speech.status_code == 429
    assert speech.json()["error"]["type"] == "rate_limit_error"


def test_concurrent_jobs(keyed: Server) -> None:
    key = keys(keyed, "create", "--name", "onejob", "--max-jobs", "1")
    with httpx.Client(base_url=keyed.url, headers=bearer(key), timeout=60) as http:
        first = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"})
        assert first.status_code == 202
        second = http.post("/api/tts/generate", json={"text": "Me too.", "model_id": "piper"})
        assert second.status_code == 429
        assert "max_jobs is 1" in second.json()["detail"] and second.headers["retry-after"]
        http.delete(f"/api/tts/jobs/{first.json()['id']}")
        assert http.post("/api/tts/generate", json={"text": "Now me.", "model_id": "piper"}
                         ).status_code == 202


def test_characters_per_day(keyed: Server) -> None:
    key = keys(keyed, "create", "--name", "chars", "--chars-per-day", "20")
    with httpx.Client(base_url=keyed.url, headers=bearer(key), timeout=60) as http:
        assert http.post("/api/tts/generate", json={"text": "Hello there."}).status_code == 202
        over = http.post("/api/tts/generate", json={"text": "Another sentence."})
        assert over.status_code == 429
        assert "used 12 characters" in over.json()["detail"]
        assert "chars_per_day is 20" in over.json()["detail"]
        assert 86_000 < int(over.headers["retry-after"]) <= 86_400


def test_docs_need_a_key_when_asked(keyed: Server) -> None:
    key = keys(keyed, "create", "--name", "docs")
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert httpx.get(f"{keyed.url}{path}").status_code == 401
        assert httpx.get(f"{keyed.url}{path}", headers=bearer(key)).status_code == 200


def test_concurrent_uploads_are_bounded(keyed: Server) -> None:
    key = keys(keyed, "create", "--name", "uploads")
    wav = beckett_wav()
    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nslow\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def slowly() -> Iterator[bytes]:
        yield head
        for start in range(0, len(wav), len(wav) // 8):
            time.sleep(0.5)
            yield wav[start:start + len(wav) // 8]
        yield tail

    answers: list[int] = []
    slow = threading.Thread(target=lambda: answers.append(httpx.post(
        f"{keyed.url}/api/voices", content=slowly(), timeout=120, headers={
            **bearer(key), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    ).status_code))
    slow.start()
    time.sleep(1.5)
    second = httpx.post(f"{keyed.url}/api/voices", headers=bearer(key),
                        files={"file": ("b.wav", wav, "audio/wav")}, data={"name": "fast"})
    slow.join(120)
    assert second.status_code == 429 and "voice uploads" in second.json()["detail"]
    assert second.headers["retry-after"]
    assert answers == [201]


def test_audit_log_and_no_key_in_any_log_line(keyed: Server, tmp_path: Path) -> None:
    key = keys(keyed, "create", "--name", "audited")
    ws = keyed.url.replace("http://", "ws://") + "/ws/gpu"
    with connect(f"{ws}?api_key={key}", open_timeout=10) as socket:
        assert '"available"' in socket.recv(timeout=5)
    httpx.get(f"{keyed.url}/api/tts/jobs?api_key={key}")
    httpx.get(f"{keyed.url}/api/tts/jobs/{'a' * 32}", headers=bearer(key))
    time.sleep(0.5)
    log = (keyed.root / "server.log").read_text()
    assert key not in log and key[4:] not in log
    assert "api_key=[redacted]" in log
    key_id = next(line.split()[0] for line in keys(keyed, "list").splitlines()
                  if "audited" in line)
    assert f"openspeakers.audit: key {key_id} (audited) GET /api/tts/jobs/{{job_id}} -> 404" \
        in log
    assert f"key {key_id} (audited) WS /ws/gpu -> accepted" in log
