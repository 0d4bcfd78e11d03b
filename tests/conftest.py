"""Shared fixtures: isolated settings, a real server over HTTP, PostgreSQL databases."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from openspeakers.config import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEXT_CACHE = Path(__file__).resolve().parents[1] / ".cache" / "text"
"""Text normalisation grammars compiled once per checkout (gitignored), shared by every test
and test server: compiling one language costs about a minute."""


def service_missing(reason: str) -> None:
    """Skip locally, fail in CI: a test that needs a service must not pass silently there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required service missing)")
    pytest.skip(reason)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", audio_output_dir=tmp_path / "audio",
                    model_cache_dir=tmp_path / "cache", preload_standby=False, cpu_workers=2,
                    # tests watch workers run (and keep them busy with many short
                    # sentences); the cache tests turn the caches on
                    cache_enabled=False, sentence_cache_max_bytes=0,
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def text_grammars() -> Path:
    """TEXT_CACHE with the English grammar compiled and loaded (once per checkout)."""
    from openspeakers.text.normalize import shared

    shared(TEXT_CACHE).get("en")
    return TEXT_CACHE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A real `openspeakers serve` process with its own data directories (and, for the Celery
    executor, its worker processes)."""

    root: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def executor(self) -> str:
        return "celery" if self.env.get("CELERY_BROKER_URL") else "local"

    def start_worker(self, queues: str, name: str | None = None) -> str:
        """Start `openspeakers worker` and wait for its first heartbeat in Redis."""
        import redis

        name = name or f"{queues}-{len(self.workers)}"
        log = (self.root / f"worker-{name}.log").open("ab")
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "openspeakers.cli", "worker", "--queues", queues],
            env={**self.env, "WORKER_NAME": name}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        client = redis.Redis.from_url(self.env["CELERY_BROKER_URL"])
        deadline = time.monotonic() + 90
        while not client.exists(f"{self.env['REDIS_PREFIX']}worker:{name}"):
            if self.workers[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker {name} did not start: "
                                   f"{(self.root / f'worker-{name}.log').read_text()}")
            time.sleep(0.2)
        return name

    def kill_worker(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal the worker's whole process group (the parent and its pool child)."""
        process = self.workers.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def audio_dir(self) -> Path:
        return Path(self.env["AUDIO_OUTPUT_DIR"])

    def start(self) -> Server:
        self.port = free_port()
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "openspeakers.cli", "serve", "--port", str(self.port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {(self.root / 'server.log').read_text()}")
            try:
                if httpx.get(f"{self.url}/api/system/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become healthy in 60 s")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(30)

    def kill_all(self) -> None:
        self.kill(signal.SIGTERM)
        for name in list(self.workers):
            self.kill_worker(name, signal.SIGKILL)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def wait_job(self, job_id: str, timeout: float = 120, until: tuple[str, ...] = (
            "complete", "failed", "cancelled")) -> dict:
        deadline = time.monotonic() + timeout
        with self.client() as http:
            while time.monotonic() < deadline:
                job = http.get(f"/api/tts/jobs/{job_id}").json()
                if job["status"] in until:
                    return job
                time.sleep(0.1)
        raise AssertionError(f"job {job_id} still {job['status']} after {timeout}s")


def make_server(root: Path, **env: str) -> Server:
    root.mkdir(parents=True, exist_ok=True)
    full = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    full.update({"DATA_DIR": str(root / "data"), "AUDIO_OUTPUT_DIR": str(root / "audio"),
                 "MODEL_CACHE_DIR": str(root / "cache"), "LOG_LEVEL": "INFO",
                 # the shared servers' tests repeat requests and keep workers busy with many
                 # short sentences; the caches' own tests turn them on (test_result_cache.py)
                 "CACHE_ENABLED": "false", "SENTENCE_CACHE_MAX_BYTES": "0",
                 "TEXT_CACHE_DIR": str(TEXT_CACHE)}, **env)
    return Server(root, full)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not here"
        service_missing(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    name = f"openspeakers_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def redis_namespace() -> Iterator[dict[str, str]]:
    """Broker settings with a key prefix of its own; its keys are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_missing(f"Redis not reachable at {REDIS_URL}: {exc}")
    prefix = f"openspeakers-test-{uuid.uuid4().hex[:8]}:"
    try:
        yield {"CELERY_BROKER_URL": REDIS_URL, "REDIS_PREFIX": prefix}
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


CELERY_TEST_ENV = {"HEARTBEAT_INTERVAL": "1", "HEARTBEAT_TIMEOUT": "6",
                   "RECONCILE_INTERVAL": "1", "CANCEL_GRACE": "20"}


@contextmanager
def celery_server(root: Path, queues: tuple[str, ...] = ("tts.cpu", "tts.kokoro"),
                  **env: str) -> Iterator[Server]:
    """API + one worker per queue on PostgreSQL and Redis, each in a namespace of its own."""
    with postgres_database() as database, redis_namespace() as broker:
        instance = make_server(root, DATABASE_URL=database, **broker,
                               **{**CELERY_TEST_ENV, **env})
        try:
            for queue in queues:
                instance.start_worker(queue)
            yield instance.start()
        finally:
            instance.kill_all()


@pytest.fixture(scope="session", params=["local", "celery"])
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per executor, shared by the API tests (they create their own jobs): the
    local executor on SQLite, and Celery workers on PostgreSQL and Redis."""
    root = tmp_path_factory.mktemp(f"server-{request.param}")
    limits = {"MAX_TEXT_CHARS": "3000", "OPENAI_MAX_INPUT_CHARS": "6000"}
    if request.param == "local":
        instance = make_server(root, **limits).start()
        yield instance
        instance.kill_all()
    else:
        with celery_server(root, **limits) as instance:
            yield instance


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url
