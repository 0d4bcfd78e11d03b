"""What the benchmarks share: a server to measure, the side-by-side loop, the result tables."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.runtime import Runtime
from tests.conftest import make_server

RESULTS = Path(__file__).parent / "results"
MODELS = ("piper", "kokoro")

Measure = Callable[[httpx.Client, str], float]
"""Seconds for one request through the server, given a client and a model id."""


@contextmanager
def local_server(**env: str) -> Iterator[httpx.Client]:
    """A real `openspeakers serve` (local executor, one CPU worker; `env`: more settings) and
    a client for it."""
    with tempfile.TemporaryDirectory() as root:
        server = make_server(Path(root), **{"LOG_LEVEL": "WARNING", "CPU_WORKERS": "1",
                                            **env}).start()
        try:
            with server.client() as http:
                yield http
        finally:
            server.kill_all()


def side_by_side(raw_text: str, runs: int, measures: dict[str, Measure]) -> list[dict]:
    """Per model: the raw engine on `raw_text`, alternating with each server measure; medians
    in ms, and each measure's ratio to the raw engine."""
    settings = Settings()
    registry = load_registry(settings.models_config, Runtime(settings))
    rows = []
    with local_server() as http:
        for model_id in MODELS:
            spec = registry.get(model_id)
            engine = spec.create()
            engine.load("cpu")
            request = GenerateRequest(text=raw_text)
            engine.generate(request)  # warm both sides
            for measure in measures.values():
                measure(http, model_id)
            samples: dict[str, list[float]] = {"raw": [], **{name: [] for name in measures}}
            for _ in range(runs):
                started = time.perf_counter()
                engine.generate(request)
                samples["raw"].append(time.perf_counter() - started)
                for name, measure in measures.items():
                    samples[name].append(measure(http, model_id))
            engine.unload()
            row: dict = {"model": model_id, "runs": runs}
            for name, values in samples.items():
                row[f"{name}_ms"] = 1000 * statistics.median(values)
            for name in measures:
                row[f"{name}_ratio"] = row[f"{name}_ms"] / row["raw_ms"]
            rows.append(row)
    return rows


def write_table(name: str, rows: list[dict], columns: list[tuple[str, str, str]]) -> None:
    """Write bench/results/<name>.json and .md (columns: header, key, format) and print."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(rows, indent=2))
    table = ["| " + " | ".join(header for header, _, _ in columns) + " |",
             "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(format(row[key], fmt) for _, key, fmt in columns) + " |"
              for row in rows]
    (RESULTS / f"{name}.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))
