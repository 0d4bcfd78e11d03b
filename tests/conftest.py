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
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from openspeakers.config import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


def service_missing(reason: str) -> None:
    """Skip locally, fail in CI: a test that needs a service must not pass silently there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required service missing)")
    pytest.skip(reason)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", audio_output_dir=tmp_path / "audio",
                    model_cache_dir=tmp_path / "cache", preload_standby=False, cpu_workers=2,
                    _env_file=None)  # type: ignore[call-arg]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A real `openspeakers serve` process with its own data directories."""

    root: Path
    env: dict[str, str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

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
                 "MODEL_CACHE_DIR": str(root / "cache"), "LOG_LEVEL": "INFO"}, **env)
    return Server(root, full)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One SQLite-backed server shared by the API tests (they create their own jobs)."""
    instance = make_server(tmp_path_factory.mktemp("server"), MAX_TEXT_CHARS="3000",
                           OPENAI_MAX_INPUT_CHARS="6000").start()
    yield instance
    instance.kill(signal.SIGTERM)


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
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
