"""Raw engine time vs. the same text through POST /api/tts/generate to completion (warm model).

Runs both side by side in one run, alternating, and prints the ratio of medians per engine.
Writes bench/results/engine_vs_api.{json,md}.

    .venv/bin/python -m bench.engine_vs_api [--runs 7]
"""

from __future__ import annotations

import argparse
import time

import httpx

from bench.common import side_by_side, write_table

TEXT = ("OpenSpeakers turns text into speech on your own machine. It keeps a queue of jobs, "
        "so nothing is lost when the server restarts. Every request goes through the same path, "
        "whether it comes from the web page, the command line or another program. The audio is "
        "written to disk as it is generated, and you can fetch it when the job is complete.")


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
    rows = side_by_side(TEXT, args.runs, {"api": api_seconds})
    write_table("engine_vs_api", rows, [
        ("model", "model", "s"), ("raw engine (median ms)", "raw_ms", ".0f"),
        ("POST /api/tts/generate to complete (median ms)", "api_ms", ".0f"),
        ("ratio", "api_ratio", ".3f")])


if __name__ == "__main__":
    main()
