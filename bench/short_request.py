"""One sentence through POST /v1/audio/speech as pcm vs. the raw engine on that sentence.

The fixed cost of the server's path (validate, commit, wake, claim, events) shows most on a
short request. Both sides run alternately in one run (bench/common.side_by_side); writes
bench/results/short_request.{json,md}.

    .venv/bin/python -m bench.short_request [--runs 15]
"""

from __future__ import annotations

import argparse
import time

import httpx

from bench.common import side_by_side, write_table

SENTENCE = "The front door is locked and the lights are off."


def speech_seconds(http: httpx.Client, model_id: str) -> float:
    started = time.perf_counter()
    response = http.post("/v1/audio/speech", json={"model": model_id, "input": SENTENCE,
                                                   "voice": "alloy", "response_format": "pcm"})
    response.raise_for_status()
    if not response.content:
        raise RuntimeError("no audio came back")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rows = side_by_side(SENTENCE, args.runs, {"v1_pcm": speech_seconds})
    write_table("short_request", rows, [
        ("model", "model", "s"), ("raw engine (median ms)", "raw_ms", ".0f"),
        ("/v1/audio/speech pcm (median ms)", "v1_pcm_ms", ".0f"),
        ("ratio", "v1_pcm_ratio", ".3f")])


if __name__ == "__main__":
    main()
