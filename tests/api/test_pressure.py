"""Chaos: a hundred open long-polls and streams do not freeze the API.

Health and the job list are timed idle and again while 90 long-polls and 10 audio streams are
open; the ratio is printed (run with `-s` to see it), never asserted against a clock. What is
asserted is what a user would see: every request answered 200 with the right content, and
health and the list answered while every long-poll was still open.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server, celery_server, make_server
from tests.helpers import probe

BLOCKER = " ".join(f"Pressure sentence {i} keeps the kokoro worker busy for a while."
                   for i in range(60))
STREAM_TEXT = "A short streamed answer. It has two sentences."
POLLS, STREAMS, PROBES = 90, 10, 6
POLL_WAIT = 20


@contextmanager
def running(kind: str, root: Path) -> Iterator[Server]:
    if kind == "local":
        server = make_server(root, CPU_WORKERS="1").start()
        try:
            yield server
        finally:
            server.kill_all()
    else:
        with celery_server(root) as server:
            yield server


async def timed(http: httpx.AsyncClient, path: str) -> tuple[float, float, httpx.Response]:
    """(seconds taken, monotonic end, response)."""
    started = time.monotonic()
    response = await http.get(path)
    return time.monotonic() - started, time.monotonic(), response


async def probes(http: httpx.AsyncClient, ids: set[str]) -> list[tuple[float, float]]:
    """Health then the job list, PROBES times; each checked for what a user would read."""
    times = []
    for _ in range(PROBES):
        took, ended, health = await timed(http, "/api/system/health")
        assert health.status_code == 200 and health.json()["status"] == "ok", health.text
        times.append((took, ended))
        took, ended, listed = await timed(http, "/api/tts/jobs?page_size=100")
        assert listed.status_code == 200, listed.text
        assert ids <= {job["id"] for job in listed.json()["items"]}
        times.append((took, ended))
    return times


async def stream(http: httpx.AsyncClient) -> tuple[float, bytes]:
    response = await http.post("/v1/audio/speech", json={
        "model": "piper", "input": STREAM_TEXT, "response_format": "mp3"})
    assert response.status_code == 200, response.text
    return time.monotonic(), response.content


async def pressure(server: Server) -> dict[str, float]:
    limits = httpx.Limits(max_connections=POLLS + STREAMS + 10)
    async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as http:
        ids: set[str] = set()
        await probes(http, ids)  # warm up
        idle = await probes(http, ids)

        blocker = (await http.post("/api/tts/generate", json={
            "text": BLOCKER, "model_id": "kokoro"})).json()
        pending = (await http.post("/api/tts/generate", json={
            "text": "Waiting behind the blocker.", "model_id": "kokoro"})).json()
        ids = {blocker["id"], pending["id"]}
        polls = [asyncio.ensure_future(timed(http, f"/api/tts/jobs/{pending['id']}"
                                                   f"?wait={POLL_WAIT}"))
                 for _ in range(POLLS)]
        streams = [asyncio.ensure_future(stream(http)) for _ in range(STREAMS)]
        await asyncio.sleep(1.0)  # let every poll and stream reach the server
        loaded = await probes(http, ids)
        polled = await asyncio.gather(*polls)
        streamed = await asyncio.gather(*streams)
        await http.delete(f"/api/tts/jobs/{blocker['id']}")

    first_poll_end = min(ended for _, ended, _ in polled)
    for _, _, response in polled:
        assert response.status_code == 200, response.text
        assert response.json()["id"] == pending["id"]
        assert response.json()["status"] in ("pending", "running", "complete")
    assert max(ended for _, ended in loaded) < first_poll_end, \
        "health and the job list answered only after the long-polls ended"
    for _, data in streamed:
        info = probe(data)
        assert info["codec"] == "mp3" and info["duration"] > 1.0
    idle_median = statistics.median(took for took, _ in idle)
    loaded_median = statistics.median(took for took, _ in loaded)
    return {"idle_ms": idle_median * 1000, "loaded_ms": loaded_median * 1000,
            "ratio": loaded_median / idle_median,
            "poll_s": statistics.median(took for took, _, _ in polled)}


@pytest.mark.parametrize("kind", ["local", "celery"])
def test_health_and_reads_answer_while_a_hundred_requests_wait(kind: str,
                                                               tmp_path: Path) -> None:
    with running(kind, tmp_path) as server:
        figures = asyncio.run(pressure(server))
    print(f"\n[{kind}] health+list median idle {figures['idle_ms']:.1f} ms, with "
          f"{POLLS} long-polls and {STREAMS} streams open {figures['loaded_ms']:.1f} ms "
          f"(x{figures['ratio']:.1f}); long-polls answered after {figures['poll_s']:.1f} s")
