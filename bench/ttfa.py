"""Time to first audio: a 60-word paragraph through POST /v1/audio/speech (streamed) vs. the
raw engine's time for the paragraph's first sentence, side by side in one run.

Writes bench/results/ttfa.{json,md}.

    .venv/bin/python bench/ttfa.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.engine_vs_api import RESULTS, start_server
from openspeakers.audio.text import split_sentences
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry

PARAGRAPH = ("Streaming speech matters most when a person is waiting to hear an answer. "
             "The server should start talking as soon as the first sentence is ready, and keep "
             "the rest coming while it works. This paragraph has about sixty words, which is a "
             "typical length for a spoken reply from an assistant, and it is long enough to show "
             "the difference between waiting for everything and hearing the beginning at once.")


def first_audio_seconds(http: httpx.Client, model_id: str, fmt: str) -> float:
    started = time.perf_counter()
    with http.stream("POST", "/v1/audio/speech", json={
            "model": model_id, "input": PARAGRAPH, "voice": "alloy",
            "response_format": fmt}) as response:
        response.raise_for_status()
        elapsed = None
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
    registry = load_registry(Settings().models_config)
    first_sentence = split_sentences(PARAGRAPH)[0]
    rows = []
    with tempfile.TemporaryDirectory() as root:
        process, url = start_server(Path(root))
        try:
            with httpx.Client(base_url=url, timeout=120) as http:
                for model_id in ("piper", "kokoro"):
                    spec = registry.get(model_id)
                    engine = spec.engine_class()(spec.params)
                    engine.load("cpu")
                    request = GenerateRequest(text=first_sentence)
                    engine.generate(request)
                    first_audio_seconds(http, model_id, "pcm")  # warm both sides
                    raw, pcm, mp3 = [], [], []
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        engine.generate(request)
                        raw.append(time.perf_counter() - started)
                        pcm.append(first_audio_seconds(http, model_id, "pcm"))
                        mp3.append(first_audio_seconds(http, model_id, "mp3"))
                    engine.unload()
                    row = {"model": model_id, "runs": args.runs,
                           "raw_first_sentence_ms": 1000 * statistics.median(raw),
                           "ttfa_pcm_ms": 1000 * statistics.median(pcm),
                           "ttfa_mp3_ms": 1000 * statistics.median(mp3)}
                    row["ratio_pcm"] = row["ttfa_pcm_ms"] / row["raw_first_sentence_ms"]
                    row["ratio_mp3"] = row["ttfa_mp3_ms"] / row["raw_first_sentence_ms"]
                    rows.append(row)
        finally:
            process.terminate()
            process.wait(30)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ttfa.json").write_text(json.dumps(rows, indent=2))
    table = ["| model | raw engine, first sentence (ms) | TTFA /v1 pcm (ms) | ratio "
             "| TTFA /v1 mp3 (ms) | ratio |", "|---|---|---|---|---|---|"]
    table += [f"| {r['model']} | {r['raw_first_sentence_ms']:.0f} | {r['ttfa_pcm_ms']:.0f} | "
              f"{r['ratio_pcm']:.2f}x | {r['ttfa_mp3_ms']:.0f} | {r['ratio_mp3']:.2f}x |"
              for r in rows]
    (RESULTS / "ttfa.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
