"""Loudness per engine and voice with levelling off and on, and what levelling costs in time
to first audio.

1. Every (model, voice) below says each text through POST /api/tts/generate (wav) with
   `normalize_loudness: false` (the engine's own level) and then as levelled; the decoded
   audio is measured with pyloudnorm (integrated loudness, BS.1770) and a 4x oversampled true
   peak. Per voice: mean loudness off/on, its worst distance from the target on; the spread
   of the voices' means (LU) off and on, and of single outputs.
2. Time to first audio through /v1/audio/speech (pcm, streamed), levelled vs engine level,
   alternating in one run beside the raw engine's first sentence (bench/common.side_by_side):
   a paragraph (a known voice: calibration and first chunk) and one sentence (the whole
   output is fitted before it is sent).
3. Voices never heard before (eSpeak English voices, one request each): time to first audio
   levelled (the first second is held and measured) vs engine level, alternating.

Writes bench/results/loudness_levels.{json,md}, loudness_ttfa.{json,md} and
loudness_new_voice.{json,md}.

    .venv/bin/python -m bench.loudness [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
from functools import partial

import httpx
import numpy as np

from bench.common import local_server, side_by_side, write_table
from bench.ttfa import PARAGRAPH, first_audio_seconds
from openspeakers.audio.encoding import decode
from openspeakers.audio.limiter import true_peak_db
from openspeakers.audio.loudness import integrated_loudness
from openspeakers.audio.text import split_sentences
from openspeakers.config import Settings

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


def measured(http: httpx.Client, model_id: str, voice: str, text: str,
             normalize: bool) -> tuple[float, float]:
    """Integrated loudness and true peak of one job's wav."""
    response = http.post("/api/tts/generate", json={
        "model_id": model_id, "voice": voice, "text": text, "format": "wav",
        "normalize_loudness": normalize})
    response.raise_for_status()
    job_id = response.json()["id"]
    job = response.json()
    while job["status"] not in ("complete", "failed", "cancelled"):
        job = http.get(f"/api/tts/jobs/{job_id}", params={"wait": 60}).json()
    if job["status"] != "complete":
        raise RuntimeError(f"job {job_id}: {job['error']}")
    samples, rate = decode(http.get(job["audio_url"]).content, "wav")
    lufs = integrated_loudness(samples, rate)
    if lufs is None:
        raise RuntimeError(f"job {job_id} is silent")
    return lufs, true_peak_db(samples)


def spread(values: list[float]) -> float:
    return max(values) - min(values)


def levels(target: float) -> list[dict]:
    """Per voice, then the spreads: voices' means (in the mean columns) and single outputs
    (in the range columns)."""
    rows = []
    with local_server() as http:
        for model_id, voice in VOICES:
            found: dict[str, list[tuple[float, float]]] = {"off": [], "on": []}
            for text in TEXTS:
                found["off"].append(measured(http, model_id, voice, text, False))
                found["on"].append(measured(http, model_id, voice, text, True))
            row: dict = {"voice": f"{model_id}/{voice}"}
            for side, results in found.items():
                lufs = [value for value, _ in results]
                row |= {f"{side}_lufs": statistics.mean(lufs), f"{side}_range": spread(lufs),
                        f"{side}_peak": max(peak for _, peak in results), f"{side}_all": lufs}
            row["on_worst"] = max(abs(value - target) for value in row["on_all"])
            rows.append(row)
    summary: dict = {"voice": "spread (LU)", "off_peak": np.nan, "on_peak": np.nan,
                     "on_worst": max(row["on_worst"] for row in rows)}
    for side in ("off", "on"):
        summary[f"{side}_lufs"] = spread([row[f"{side}_lufs"] for row in rows])
        summary[f"{side}_range"] = spread([v for row in rows for v in row[f"{side}_all"]])
    return [*rows, summary]


def new_voices() -> list[dict]:
    """Per request: a never-heard eSpeak voice levelled, and another voice at engine level."""
    levelled, plain = [], []
    with local_server() as http:
        first_audio_seconds(http, "espeak", "pcm", text=SENTENCE, voice="en-us")  # warm
        for voice in NEW_VOICES:
            body = {"input": PARAGRAPH, "voice": voice}
            plain.append(first_audio_seconds(http, "espeak", "pcm", **body,
                                             normalize_loudness=False))
            levelled.append(first_audio_seconds(http, "espeak", "pcm", **body))
    return [{"model": "espeak", "voices": len(NEW_VOICES),
             "plain_ms": 1000 * statistics.median(plain),
             "levelled_ms": 1000 * statistics.median(levelled)}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    settings = Settings()
    rows = levels(settings.loudness_target_lufs)
    write_table("loudness_levels", rows, [
        ("voice", "voice", "s"), ("off: mean LUFS", "off_lufs", ".2f"),
        ("off: range over texts", "off_range", ".2f"), ("off: max dBTP", "off_peak", ".2f"),
        ("on: mean LUFS", "on_lufs", ".2f"), ("on: range over texts", "on_range", ".2f"),
        ("on: worst distance from target", "on_worst", ".2f"),
        ("on: max dBTP", "on_peak", ".2f")])
    ttfa = {}
    for name, text in (("paragraph", PARAGRAPH), ("sentence", SENTENCE)):
        ttfa[name] = side_by_side(split_sentences(text)[0], args.runs, {
            "levelled": partial(first_audio_seconds, fmt="pcm", text=text),
            "plain": partial(first_audio_seconds, fmt="pcm", text=text,
                             normalize_loudness=False)})
    write_table("loudness_ttfa", [{**row, "text": name} for name, found in ttfa.items()
                                  for row in found], [
        ("text", "text", "s"), ("model", "model", "s"),
        ("raw engine, first sentence (ms)", "raw_ms", ".0f"),
        ("TTFA engine level (ms)", "plain_ms", ".0f"),
        ("TTFA levelled (ms)", "levelled_ms", ".0f")])
    write_table("loudness_new_voice", new_voices(), [
        ("model", "model", "s"), ("voices", "voices", "d"),
        ("TTFA engine level (ms)", "plain_ms", ".0f"),
        ("TTFA levelled, voice never heard (ms)", "levelled_ms", ".0f")])


if __name__ == "__main__":
    main()
