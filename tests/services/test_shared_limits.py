"""With Celery there may be several API processes: a key's requests per minute and the upload
slots are counted in Redis, so the processes enforce them together. Two apps sharing one
database and one Redis stand for two API processes."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from openspeakers.api.app import create_app
from openspeakers.api.auth import create_key
from openspeakers.api.limits import RedisSlots
from openspeakers.config import Settings
from openspeakers.jobs.quota import LimitExceededError
from tests.audio_files import BECKETT_TEXT, beckett_wav
from tests.conftest import REDIS_URL, redis_namespace


def _settings(root: Path, database: str, broker: str, prefix: str) -> Settings:
    return Settings(data_dir=root / "data", audio_output_dir=root / "audio",
                    model_cache_dir=root / "cache", preload_standby=False,
                    database_url=database, celery_broker_url=broker, redis_prefix=prefix,
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def broker() -> Iterator[dict[str, str]]:
    with redis_namespace() as names:
        yield names


def test_two_api_processes_share_a_keys_rpm(tmp_path: Path, broker: dict[str, str]) -> None:
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    with ExitStack() as stack:
        one, two = (stack.enter_context(TestClient(create_app(_settings(
            tmp_path / name, database, broker["CELERY_BROKER_URL"], broker["REDIS_PREFIX"]))))
            for name in ("one", "two"))
        _, key = create_key(one.app.state.context.sessions, "team", rpm=4)  # type: ignore[attr-defined]
        auth = {"Authorization": f"Bearer {key}"}
        for client in (one, two, one, two):
            assert client.get("/api/tts/jobs", headers=auth).status_code == 200
        for client in (two, one):  # each process alone has seen only 2 of the 4
            refused = client.get("/api/tts/jobs", headers=auth)
            assert refused.status_code == 429, refused.text
            assert refused.json()["detail"] == (
                "API key 'team' made 4 requests in the last minute; its limit rpm is 4")
            assert 1 <= int(refused.headers["Retry-After"]) <= 60
        openai = two.get("/v1/models", headers=auth)
        assert openai.status_code == 429
        assert openai.json()["error"]["type"] == "rate_limit_error"


def test_upload_slots_are_shared_and_lapse(broker: dict[str, str]) -> None:
    def slots(lease: float = 60) -> RedisSlots:
        return RedisSlots(REDIS_URL, broker["REDIS_PREFIX"], 1, "voice uploads", lease=lease)

    first, second = slots(), slots()
    held = first.acquire()
    with pytest.raises(LimitExceededError, match="1 voice uploads are in progress; the limit "
                                                 "is 1") as refused:
        second.acquire()
    assert refused.value.retry_after == 5
    first.release(held)
    second.release(second.acquire())
    slots(lease=0.2).acquire()  # a process that died holding it: never released
    time.sleep(0.3)
    second.release(second.acquire())


class TcpProxy:
    """A TCP relay to Redis that the test can cut, as a Redis going away would be."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.is_cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            if self.is_cut:
                near.close()
                return
            far = socket.create_connection(self.upstream)
            self.open += [near, far]
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            end.close()

    def cut(self) -> None:
        self.is_cut = True
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close alone may not
        self.listener.close()
        for end in self.open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def test_redis_down_is_a_clear_503(tmp_path: Path, broker: dict[str, str]) -> None:
    url = urlparse(REDIS_URL)
    proxy = TcpProxy((url.hostname or "127.0.0.1", url.port or 6379))
    through = f"redis://127.0.0.1:{proxy.port}{url.path}"
    settings = _settings(tmp_path, f"sqlite:///{tmp_path / 'jobs.db'}", through,
                         broker["REDIS_PREFIX"])
    with TestClient(create_app(settings)) as client:
        _, key = create_key(client.app.state.context.sessions, "team", rpm=4)  # type: ignore[attr-defined]
        auth = {"Authorization": f"Bearer {key}"}
        assert client.get("/api/tts/jobs", headers=auth).status_code == 200
        proxy.cut()
        answer = client.get("/api/tts/jobs", headers=auth)
        assert answer.status_code == 503, answer.text
        assert answer.json()["detail"].startswith(
            "the request limits cannot be checked: Redis is not reachable")
        _, unlimited = create_key(client.app.state.context.sessions, "uploader")  # type: ignore[attr-defined]
        upload = client.post("/api/voices", headers={"Authorization": f"Bearer {unlimited}"}, data={
            "name": "Beckett", "transcript": BECKETT_TEXT},
            files={"file": ("b.wav", beckett_wav(), "audio/wav")})
        assert upload.status_code == 503, upload.text
        assert "Redis is not reachable" in upload.json()["detail"]  # from the upload slots
        job = client.post("/api/tts/generate", headers={"Authorization": f"Bearer {unlimited}"},
                          json={"text": "Hello.", "model_id": "espeak"})
        assert job.status_code == 503, job.text  # any other use of Redis: 503 too
        assert "Redis is not reachable" in job.json()["detail"]
