"""Result cache: time to first audio through POST /v1/audio/speech (streamed) on a miss, on a
hit, and on a miss whose first sentence ("Sure.") is in the sentence cache, side by side in
one run (the three alternate within each run).

The miss speaks new text every run (a number in its first sentence, so no sentence of it was
heard before); the hit repeats one request primed before the runs; the third is new text
after "Sure.". Writes bench/results/cache.{json,md}.

    .venv/bin/python -m bench.cache [--runs 9] [--format mp3]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import httpx

from bench.common import MODELS, local_server, write_table

ANSWER = ("Here is what I found for you today. The nearest pharmacy opens at nine and closes "
          "at six, and the bus that stops outside it runs every twenty minutes.")
_counter = itertools.count()


def first_audio(http: httpx.Client, model_id: str, text: str, fmt: str) -> tuple[float, str]:
    """Seconds to the first audio byte, and the response's X-Cache."""
    started = time.perf_counter()
    elapsed = None
    with http.stream("POST", "/v1/audio/speech", json={
            "model": model_id, "input": text, "voice": "alloy",
            "response_format": fmt}) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            if chunk and elapsed is None:
                elapsed = time.perf_counter() - started
        cache = response.headers.get("X-Cache", "")
    if elapsed is None:
        raise RuntimeError("no audio came back")
    return elapsed, cache


def _new_text() -> str:
    return f"Answer number {next(_counter)}. {ANSWER}"


def measure(http: httpx.Client, model_id: str, runs: int, fmt: str) -> dict:
    hit_text = f"The cached answer. {ANSWER}"
    first_audio(http, model_id, hit_text, fmt)  # primes the hit (and loads the model)
    first_audio(http, model_id, f"Sure. {_new_text()}", fmt)  # primes "Sure."
    samples: dict[str, list[float]] = {"miss": [], "hit": [], "sentence": []}
    for _ in range(runs):
        for name, text, expected in (("miss", _new_text(), "miss"), ("hit", hit_text, "hit"),
                                     ("sentence", f"Sure. {_new_text()}", "miss")):
            seconds, cache = first_audio(http, model_id, text, fmt)
            if cache != expected:
                raise RuntimeError(f"{name}: X-Cache {cache!r}, expected {expected}")
            samples[name].append(seconds)
    row: dict = {"model": model_id, "format": fmt, "runs": runs}
    for name, values in samples.items():
        row[f"{name}_ms"] = 1000 * statistics.median(values)
    row["speedup"] = row["miss_ms"] / row["hit_ms"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--format", default="mp3")
    args = parser.parse_args()
    rows = []
    with local_server(CACHE_ENABLED="true", SENTENCE_CACHE_MAX_BYTES=str(32 * 1024 ** 2)) as http:
        for model_id in MODELS:
            rows.append(measure(http, model_id, args.runs, args.format))
    write_table("cache", rows, [
        ("model", "model", "s"), ("format", "format", "s"),
        ("TTFA miss (ms)", "miss_ms", ".0f"), ("TTFA hit (ms)", "hit_ms", ".1f"),
        ("miss / hit", "speedup", ".0f"),
        ("TTFA miss, first sentence cached (ms)", "sentence_ms", ".1f")])


if __name__ == "__main__":
    main()
