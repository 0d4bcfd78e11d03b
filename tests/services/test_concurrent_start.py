"""Every process of a deployment may start at once (compose starts them together): against a
fresh PostgreSQL database, concurrent migrations must all succeed, and a process that starts
before the database answers must wait for it instead of exiting.

Needs the PostgreSQL server (127.0.0.1:5432); skips without it, fails with CI=true.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.conftest import free_port, make_server

pytestmark = pytest.mark.postgres

PROCESSES = 6


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "openspeakers.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_concurrent_migrations_of_a_fresh_database_all_succeed(tmp_path: Path,
                                                               postgres_url: str) -> None:
    env = make_server(tmp_path, DATABASE_URL=postgres_url).env
    processes = [_cli(env, "migrate") for _ in range(PROCESSES)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert "is up to date" in output
    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert len(versions) == 1, versions
    assert {"tts_jobs", "voice_profiles"} <= tables


@contextmanager
def _late_forwarder(target: tuple[str, int], opens: Callable[[], bool]) -> Iterator[int]:
    """A TCP port that refuses connections until `opens()` is true, then forwards to `target`:
    a database that is not up yet when the server starts."""
    port = free_port()
    stop = threading.Event()

    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve() -> None:
        while not opens():
            if stop.wait(0.2):
                return
        with socket.create_server(("127.0.0.1", port)) as listener:
            listener.settimeout(0.2)
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                upstream = socket.create_connection(target)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=pump, args=(a, b), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(5)


def test_server_started_before_the_database_waits_for_it(tmp_path: Path,
                                                         postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    log = tmp_path / "server.log"

    def retried_twice() -> bool:  # the database "starts" once the server has retried twice
        return log.exists() and "not reachable (try 2" in log.read_text()

    target = (parts.hostname or "127.0.0.1", parts.port or 5432)
    with _late_forwarder(target, retried_twice) as port:
        url = postgres_url.replace(f"@{parts.hostname}:{parts.port}", f"@127.0.0.1:{port}")
        server = make_server(tmp_path, DATABASE_URL=url)
        server.start()  # raises if the process exits or is not healthy within 60 s
        try:
            text = log.read_text()
            assert "not reachable (try 1" in text, text
            assert re.search(r"database at \S+ is reachable \(try \d+\)", text), text
            with server.client() as http:
                job = http.post("/api/tts/generate",
                                json={"model_id": "espeak", "text": "The database is up."})
                assert job.status_code == 202, job.text
                assert server.wait_job(job.json()["id"])["status"] == "complete"
        finally:
            server.kill()


def test_migrate_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = make_server(tmp_path, DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{port}/x",
                      DATABASE_WAIT_TIMEOUT="2").env
    process = _cli(env, "migrate")
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 1, output
    assert f"database at 127.0.0.1:{port}/x not reachable after" in output
    assert output.count("not reachable (try ") >= 2, output
