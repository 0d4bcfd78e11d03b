"""Text normalisation: accuracy and cost per language, and what it does to what is heard.

1. Per language of tests/data/normalization.tsv: grammar compile time (when not yet in the
   cache) and load time, exact-match rate against the hand-written spoken forms, and the
   milliseconds per sentence (sentences that reach NeMo, and all sentences: plain prose skips
   it).
2. Time to first audio through /v1/audio/speech (Piper), normalisation on and off.
3. Word error rate before/after: each English sentence synthesised as written and as
   normalised (Piper, Kokoro ONNX), transcribed by faster-whisper tiny.en, and compared with
   the expected spoken form. Whisper writes what it hears as text ("$5.50"), so its
   transcript is put through the same normaliser before the comparison, on both sides.

Writes bench/results/normalization{,_ttfa,_wer}.{json,md}.

    .venv/bin/python -m bench.normalization [--lang en --lang es ...] [--models piper kokoro]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import httpx

from bench.common import local_server, write_table
from openspeakers.analysis.wer import word_error_rate
from openspeakers.audio.text import split_sentences
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.runtime import Runtime
from openspeakers.text.markup import strip_markup
from openspeakers.text.normalize import LANGUAGES, Normalizers, compile_language, needs_normalizing
from tests.conftest import TEXT_CACHE
from tests.unit.test_text_normalize import load_cases, words


def accuracy(normalizers: Normalizers, lang: str) -> dict:
    cases = [c for c in load_cases() if c[0] == lang]
    compiled = normalizers.is_compiled(lang)
    compile_s = 0.0 if compiled else compile_language(normalizers.cache_dir, lang)
    started = time.perf_counter()
    normalizers.get(lang)
    load_s = time.perf_counter() - started
    nemo_ms, all_ms, exact = [], [], 0
    for _, written, spoken in cases:
        got = []
        for sentence in split_sentences(strip_markup(written)):
            started = time.perf_counter()
            got.append(normalizers.sentence(sentence, lang))
            elapsed = (time.perf_counter() - started) * 1000
            all_ms.append(elapsed)
            if needs_normalizing(sentence):
                nemo_ms.append(elapsed)
        exact += words(" ".join(got)) == words(spoken)
    return {"lang": lang, "lines": len(cases), "exact": exact,
            "exact_rate": exact / max(1, len(cases)),
            "compile_s": compile_s if not compiled else None, "load_s": load_s,
            "nemo_ms_median": statistics.median(nemo_ms) if nemo_ms else 0.0,
            "nemo_ms_max": max(nemo_ms) if nemo_ms else 0.0,
            "all_ms_mean": statistics.mean(all_ms) if all_ms else 0.0}


def wer_before_after(normalizers: Normalizers, models: list[str], every: int = 1
                     ) -> list[dict]:
    settings = Settings()
    runtime = Runtime(settings)
    registry = load_registry(settings.models_config, runtime)
    cases = [c for c in load_cases() if c[0] == "en"][::every]
    rows = []
    for model_id in models:
        engine = registry.get(model_id).create()
        engine.load("cpu")
        wers: dict[str, list[float]] = {"before": [], "after": []}
        for _, written, spoken in cases:
            for side, text in (("before", written), ("after", normalizers.text(written, "en"))):
                result = engine.generate(GenerateRequest(text=text))
                heard = runtime.analysis.transcribe(result.audio, result.sample_rate)
                wers[side].append(word_error_rate(spoken, normalizers.text(heard.text, "en")))
        engine.unload()
        rows.append({"model": model_id, "sentences": len(cases),
                     "wer_before": statistics.mean(wers["before"]),
                     "wer_after": statistics.mean(wers["after"]),
                     "perfect_before": sum(w == 0 for w in wers["before"]),
                     "perfect_after": sum(w == 0 for w in wers["after"])})
        print(rows[-1], flush=True)
    return rows


TTFA_TEXT = ("Dr. Smith paid $5.50 on 4/5/2026. The receipt was filed in a folder on the "
             "shelf. Nobody asked about it again.")


def first_audio_seconds(http: httpx.Client, normalize: bool) -> float:
    started = time.perf_counter()
    with http.stream("POST", "/v1/audio/speech", json={
            "model": "piper", "input": TTFA_TEXT, "voice": "joe", "response_format": "pcm",
            "normalize": normalize}) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            if chunk:
                return time.perf_counter() - started
    raise RuntimeError("no audio came back")


def ttfa(runs: int) -> list[dict]:
    """Time to first audio through /v1 (Piper), normalisation on and off, alternating: the
    first sentence's normalisation is the only cost before the first audio."""
    samples: dict[bool, list[float]] = {True: [], False: []}
    with local_server() as http:
        for normalize in (True, False):
            first_audio_seconds(http, normalize)  # warm: model and grammar loaded
        for _ in range(runs):
            for normalize in (True, False):
                samples[normalize].append(first_audio_seconds(http, normalize))
    return [{"normalize": str(on).lower(), "runs": runs,
             "ttfa_ms": statistics.median(values) * 1000} for on, values in samples.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", action="append", choices=LANGUAGES,
                        help="languages to measure (default: en)")
    parser.add_argument("--models", nargs="*", default=["piper", "kokoro"])
    parser.add_argument("--cache", type=Path, default=TEXT_CACHE)
    parser.add_argument("--every", type=int, default=1,
                        help="WER on every n-th English sentence (the slower engines)")
    parser.add_argument("--ttfa-runs", type=int, default=10, help="0: skip the TTFA part")
    args = parser.parse_args()
    normalizers = Normalizers(args.cache)
    rows = []
    for lang in args.lang or ["en"]:
        rows.append(accuracy(normalizers, lang))
        print(rows[-1], flush=True)
    write_table("normalization", rows, [
        ("language", "lang", "s"), ("lines", "lines", "d"), ("exact", "exact", "d"),
        ("exact-match rate", "exact_rate", ".3f"), ("load (s)", "load_s", ".1f"),
        ("ms/sentence via NeMo (median)", "nemo_ms_median", ".0f"),
        ("max ms", "nemo_ms_max", ".0f"), ("ms/sentence, all (mean)", "all_ms_mean", ".0f")])
    if args.ttfa_runs:
        write_table("normalization_ttfa", ttfa(args.ttfa_runs), [
            ("normalize", "normalize", "s"), ("runs", "runs", "d"),
            ("time to first audio, median (ms)", "ttfa_ms", ".0f")])
    if args.models:
        write_table("normalization_wer", wer_before_after(normalizers, args.models, args.every), [
            ("model", "model", "s"), ("sentences", "sentences", "d"),
            ("WER as written", "wer_before", ".3f"), ("WER normalised", "wer_after", ".3f"),
            ("perfect as written", "perfect_before", "d"),
            ("perfect normalised", "perfect_after", "d")])


if __name__ == "__main__":
    main()
