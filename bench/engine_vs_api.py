"""Raw engine time vs. the same text through POST /api/tts/generate to completion (warm model).

Runs both side by side in one run, alternating, and prints the ratio of medians per engine.
Writes bench/results/engine_vs_api.{json,md}.

    .venv/bin/python bench/engine_vs_api.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry

TEXT = ("OpenSpeakers turns text into speech on your own machine. It keeps a queue of jobs, "
        "so nothing is lost when the server restarts. Every request goes through the same path, "
        "whether it comes from the web page, the command line or another program. The audio is "
        "written to disk as it is generated, and you can fetch it when the job is complete.")
RESULTS = Path(__file__).parent / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(root / "data"), "AUDIO_OUTPUT_DIR": str(root / "audio"),
           "MODEL_CACHE_DIR": str(root / "cache"), "LOG_LEVEL": "WARNING", "CPU_WORKERS": "1"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "openspeakers.cli", "serve", "--port",
                                str(port)], env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/api/system/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def api_seconds(http: httpx.Client, model_id: str) -> float:
    started = time.perf_counter()
    job = http.post("/api/tts/generate", json={"text": TEXT, "model_id": model_id,
                                               "format": "wav"}).json()
    while True:  # long-poll: the server answers as soon as the job finishes
        state = http.get(f"/api/tts/jobs/{job['id']}", params={"wait": 60}).json()
        if state["status"] == "complete":
            return time.perf_counter() - started
        if state["status"] in ("failed", "cancelled"):
            raise RuntimeError(state["error"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    registry = load_registry(Settings().models_config)
    rows = []
    with tempfile.TemporaryDirectory() as root:
        process, url = start_server(Path(root))
        try:
            with httpx.Client(base_url=url, timeout=120) as http:
                for model_id in ("piper", "kokoro"):
                    spec = registry.get(model_id)
                    engine = spec.engine_class()(spec.params)
                    engine.load("cpu")
                    request = GenerateRequest(text=TEXT)
                    engine.generate(request)  # warm both sides
                    api_seconds(http, model_id)
                    raw, api = [], []
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        engine.generate(request)
                        raw.append(time.perf_counter() - started)
                        api.append(api_seconds(http, model_id))
                    engine.unload()
                    row = {"model": model_id, "runs": args.runs,
                           "raw_median_s": statistics.median(raw),
                           "api_median_s": statistics.median(api)}
                    row["ratio"] = row["api_median_s"] / row["raw_median_s"]
                    rows.append(row)
        finally:
            process.terminate()
            process.wait(30)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "engine_vs_api.json").write_text(json.dumps(rows, indent=2))
    table = ["| model | raw engine (median s) | POST /api/tts/generate to complete (median s) "
             "| ratio |", "|---|---|---|---|"]
    table += [f"| {r['model']} | {r['raw_median_s']:.3f} | {r['api_median_s']:.3f} | "
              f"{r['ratio']:.3f}x |" for r in rows]
    (RESULTS / "engine_vs_api.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
