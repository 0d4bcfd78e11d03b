"""Loudness per engine and voice before and after levelling, and what levelling costs in
time to first audio.

1. Levels. Every (model, voice) below says each text through POST /api/tts/generate (wav) on
   a server with LOUDNESS_NORMALIZE=false (as the server was before levelling: each engine's
   own level, Piper peak-normalising each sentence) and on one with the defaults (-16 LUFS,
   -1.5 dBTP). The decoded audio is measured with pyloudnorm (integrated loudness, BS.1770)
   and a 4x oversampled true peak. Per voice: mean loudness, range over the texts, highest
   true peak, and (levelled) the worst distance from the target; then the spreads: of the
   voices' means (in the mean columns) and of all single outputs (in the range columns).
2. Time to first audio through /v1/audio/speech (pcm, streamed), levelled vs
   `normalize_loudness: false`, alternating in one run beside the raw engine's first sentence
   (bench/common.side_by_side): a paragraph (a known voice: calibration and first chunk) and
   one sentence (the whole output is fitted before it is sent).
3. The levelling's own time before the first chunk can go out, in process, on real engine
   output (thread CPU time, so that other load on the machine does not count): per path.
4. Voices never heard before (eSpeak English voices, one request each): time to first audio
   levelled (the first second is held and measured) vs engine level, alternating.

Writes bench/results/loudness_{levels,ttfa,cost,new_voice}.{json,md}.

    .venv/bin/python -m bench.loudness [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import numpy as np

from bench.common import MODELS, local_server, side_by_side, write_table
from bench.ttfa import PARAGRAPH, first_audio_seconds
from openspeakers.audio.encoding import decode
from openspeakers.audio.limiter import true_peak_db
from openspeakers.audio.loudness import Leveling, integrated_loudness
from openspeakers.audio.text import split_sentences
from openspeakers.config import Settings
from openspeakers.engines.base import AudioChunk, GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.runtime import Runtime

VOICES = [("piper", "joe"), ("kokoro", "jf_alpha"), ("kokoro", "jf_gongitsune"),
          ("kokoro", "jf_nezumi"), ("kokoro", "jf_tebukuro"), ("kokoro", "jm_kumo"),
          ("espeak", "en-us"), ("espeak", "en-gb"), ("espeak", "en-gb-x-rp")]
TEXTS = ["The quick brown fox jumps over the lazy dog. It was not amused.",
         "Please open the window and let the fresh air in. The room is far too warm.",
         "Your meeting with the design team has been moved to Thursday afternoon.",
         "Sure.",
         "Turn left at the next junction, then keep right for two kilometres. You will see "
         "the station on your left, just after the bridge."]
SENTENCE = "The front door is locked and the lights are off."
NEW_VOICES = ["en", "en-029", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
              "en-us-nyc", "en-shaw"]


def measured(http: httpx.Client, model_id: str, voice: str, text: str) -> tuple[float, float]:
    """Integrated loudness and true peak of one job's wav."""
    response = http.post("/api/tts/generate", json={
        "model_id": model_id, "voice": voice, "text": text, "format": "wav"})
    response.raise_for_status()
    job = response.json()
    while job["status"] not in ("complete", "failed", "cancelled"):
        job = http.get(f"/api/tts/jobs/{job['id']}", params={"wait": 60}).json()
    if job["status"] != "complete":
        raise RuntimeError(f"job {job['id']}: {job['error']}")
    samples, rate = decode(http.get(job["audio_url"]).content, "wav")
    lufs = integrated_loudness(samples, rate)
    if lufs is None:
        raise RuntimeError(f"job {job['id']} is silent")
    return lufs, true_peak_db(samples)


def spread(values: list[float]) -> float:
    return max(values) - min(values)


def levels(target: float) -> list[dict]:
    found: dict[str, dict[tuple[str, str], list[tuple[float, float]]]] = {}
    for side, env in (("before", {"LOUDNESS_NORMALIZE": "false"}), ("after", {})):
        with local_server(**env) as http:
            found[side] = {voice: [measured(http, *voice, text) for text in TEXTS]
                           for voice in VOICES}
    rows = []
    for voice in VOICES:
        row: dict = {"voice": "/".join(voice)}
        for side, results in found.items():
            lufs = [value for value, _ in results[voice]]
            row |= {f"{side}_lufs": statistics.mean(lufs), f"{side}_range": spread(lufs),
                    f"{side}_peak": max(peak for _, peak in results[voice]), f"{side}_all": lufs}
        row["after_worst"] = max(abs(value - target) for value in row["after_all"])
        rows.append(row)
    summary: dict = {"voice": "spread (LU)", "before_peak": np.nan, "after_peak": np.nan,
                     "after_worst": max(row["after_worst"] for row in rows)}
    for side in found:
        summary[f"{side}_lufs"] = spread([row[f"{side}_lufs"] for row in rows])
        summary[f"{side}_range"] = spread([v for row in rows for v in row[f"{side}_all"]])
    return [*rows, summary]


def ttfa(runs: int) -> list[dict]:
    rows = []
    for name, text in (("paragraph", PARAGRAPH), ("sentence", SENTENCE)):
        found = side_by_side(split_sentences(text)[0], runs, {
            "levelled": partial(first_audio_seconds, fmt="pcm", text=text),
            "plain": partial(first_audio_seconds, fmt="pcm", text=text,
                             normalize_loudness=False)})
        rows += [{**row, "text": name} for row in found]
    return rows


def first_chunk_cpu(leveling: Leveling, chunks: list[AudioChunk]) -> float:
    """Thread CPU seconds until the levelled stream's first chunk is out."""
    started = time.thread_time()
    stream: Iterator[AudioChunk] = leveling.stream(iter(chunks))
    next(stream)
    elapsed = time.thread_time() - started
    stream.close()
    return elapsed


def cost(runs: int) -> list[dict]:
    """Per model and path: the levelling's CPU time before the first chunk goes out."""
    settings = Settings()
    registry = load_registry(settings.models_config, Runtime(settings))
    rows = []
    for model_id in MODELS:
        engine = registry.get(model_id).create()
        engine.load("cpu")
        paragraph = list(engine.stream_generate(GenerateRequest(text=PARAGRAPH)))
        sentence = list(engine.stream_generate(GenerateRequest(text=SENTENCE)))
        engine.unload()
        first = paragraph[0].audio.size / paragraph[0].sample_rate
        with tempfile.TemporaryDirectory() as root:
            known = Runtime(Settings(data_dir=Path(root)))
            list(Leveling.of(known, model_id, None, {}).stream(iter(paragraph)))  # calibrated
            samples: dict[str, list[float]] = {"known": [], "whole": [], "new": []}
            for _ in range(runs):
                samples["known"].append(first_chunk_cpu(
                    Leveling.of(known, model_id, None, {}), paragraph))
                samples["whole"].append(first_chunk_cpu(
                    Leveling.of(known, model_id, None, {}), sentence))
                with tempfile.TemporaryDirectory() as fresh:
                    new = Runtime(Settings(data_dir=Path(fresh)))
                    samples["new"].append(first_chunk_cpu(
                        Leveling.of(new, model_id, None, {}), paragraph))
        rows.append({"model": model_id, "first_s": first, "runs": runs,
                     **{f"{path}_ms": 1000 * statistics.median(values)
                        for path, values in samples.items()}})
    return rows


def new_voices() -> list[dict]:
    """Per request: a never-heard eSpeak voice levelled, and another voice at engine level."""
    levelled, plain = [], []
    with local_server() as http:
        first_audio_seconds(http, "espeak", "pcm", text=SENTENCE, voice="en-us")  # warm
        for voice in NEW_VOICES:
            body = {"text": PARAGRAPH, "voice": voice}
            plain.append(first_audio_seconds(http, "espeak", "pcm", **body,
                                             normalize_loudness=False))
            levelled.append(first_audio_seconds(http, "espeak", "pcm", **body))
    return [{"model": "espeak", "voices": len(NEW_VOICES),
             "plain_ms": 1000 * statistics.median(plain),
             "levelled_ms": 1000 * statistics.median(levelled)}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["levels", "ttfa", "cost", "new_voice"])
    args = parser.parse_args()
    settings = Settings()
    if args.only in (None, "levels"):
        write_table("loudness_levels", levels(settings.loudness_target_lufs), [
            ("voice", "voice", "s"), ("before: mean LUFS", "before_lufs", ".2f"),
            ("before: range over texts", "before_range", ".2f"),
            ("before: max dBTP", "before_peak", ".2f"),
            ("after: mean LUFS", "after_lufs", ".2f"),
            ("after: range over texts", "after_range", ".2f"),
            ("after: worst distance from target", "after_worst", ".2f"),
            ("after: max dBTP", "after_peak", ".2f")])
    if args.only in (None, "ttfa"):
        write_table("loudness_ttfa", ttfa(args.runs), [
            ("text", "text", "s"), ("model", "model", "s"),
            ("raw engine, first sentence (ms)", "raw_ms", ".0f"),
            ("TTFA engine level (ms)", "plain_ms", ".0f"),
            ("TTFA levelled (ms)", "levelled_ms", ".0f")])
    if args.only in (None, "cost"):
        write_table("loudness_cost", cost(args.runs), [
            ("model", "model", "s"), ("first chunk (s of audio)", "first_s", ".2f"),
            ("known voice, paragraph (ms CPU)", "known_ms", ".1f"),
            ("whole output in the first chunk (ms CPU)", "whole_ms", ".1f"),
            ("voice never heard, paragraph (ms CPU)", "new_ms", ".1f")])
    if args.only in (None, "new_voice"):
        write_table("loudness_new_voice", new_voices(), [
            ("model", "model", "s"), ("voices", "voices", "d"),
            ("TTFA engine level (ms)", "plain_ms", ".0f"),
            ("TTFA levelled, voice never heard (ms)", "levelled_ms", ".0f")])


if __name__ == "__main__":
    main()
