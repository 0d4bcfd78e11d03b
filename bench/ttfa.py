"""Time to first audio: a 60-word paragraph through POST /v1/audio/speech (streamed) vs. the
raw engine's time for the paragraph's first sentence, side by side in one run.

Writes bench/results/ttfa.{json,md}.

    .venv/bin/python -m bench.ttfa [--runs 9]
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import httpx

from bench.common import side_by_side, write_table
from openspeakers.audio.text import split_sentences

PARAGRAPH = ("Streaming speech matters most when a person is waiting to hear an answer. "
             "The server should start talking as soon as the first sentence is ready, and keep "
             "the rest coming while it works. This paragraph has about sixty words, which is a "
             "typical length for a spoken reply from an assistant, and it is long enough to show "
             "the difference between waiting for everything and hearing the beginning at once.")


def first_audio_seconds(http: httpx.Client, model_id: str, fmt: str, text: str = PARAGRAPH,
                        **extra: object) -> float:
    """Seconds until the first audio bytes of `text` (`extra`: more body fields)."""
    started = time.perf_counter()
    elapsed = None
    with http.stream("POST", "/v1/audio/speech", json={
            "model": model_id, "input": text, "voice": "alloy",
            "response_format": fmt, **extra}) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            if chunk and elapsed is None:
                elapsed = time.perf_counter() - started
    if elapsed is None:
        raise RuntimeError("no audio came back")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    rows = side_by_side(split_sentences(PARAGRAPH)[0], args.runs, {
        "pcm": partial(first_audio_seconds, fmt="pcm"),
        "mp3": partial(first_audio_seconds, fmt="mp3")})
    write_table("ttfa", rows, [
        ("model", "model", "s"), ("raw engine, first sentence (ms)", "raw_ms", ".0f"),
        ("TTFA /v1 pcm (ms)", "pcm_ms", ".0f"), ("ratio", "pcm_ratio", ".2f"),
        ("TTFA /v1 mp3 (ms)", "mp3_ms", ".0f"), ("ratio", "mp3_ratio", ".2f")])


if __name__ == "__main__":
    main()
