"""Offline Kokoro voice matching on a real human recording (Beckett, from useful-moonshine-onnx):
the best preset voice vs. the matched voice, by speaker similarity, with the full search.

Writes bench/results/voice_match.{json,md}.

    .venv/bin/python -m bench.voice_match [--budget 240] [--max-evals 400] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from openspeakers.analysis.service import Analysis
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.runtime import Runtime
from openspeakers.voices.matching import FIT_TEXT, StyleSearch, similarity_fitness
from openspeakers.voices.upload import VoiceLimits, process_reference
from tests.audio_files import BECKETT_TEXT, beckett_wav

RESULTS = Path(__file__).parent / "results"
HELD_OUT = ("Please remember to close the window before you leave the house.",
            "She bought fresh bread and green apples at the market.")
"""Sentences the search never heard: does the matched voice stay close on new text?"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=240.0, help="seconds of search")
    parser.add_argument("--max-evals", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    analysis = Analysis(settings)
    reference = process_reference(beckett_wav(), VoiceLimits())
    spec = load_registry(settings.models_config, Runtime(settings)).get("kokoro")
    engine = spec.create()
    engine.load("cpu")
    request = GenerateRequest(FIT_TEXT, params=dict(spec.params))
    fitness = similarity_fitness(engine, analysis, reference.samples, reference.sample_rate,
                                 request)
    fitness(next(iter(engine.matching_styles().values())))  # warm-up (JIT, caches)

    started = time.process_time()
    search = StyleSearch(engine.matching_styles(), fitness, budget_s=args.budget,  # type: ignore[attr-defined]
                         max_evals=args.max_evals, seed=args.seed,
                         on_progress=lambda f, best: print(f"\r{f:5.1%}  best {best:.3f}",
                                                           end="", flush=True))
    result = search.run()
    cpu_seconds = time.process_time() - started
    print()

    def held_out(style: object) -> float:
        scores = []
        for text in HELD_OUT:
            out = engine.generate(GenerateRequest(text, voice_style=style, params=spec.params))
            scores.append(analysis.similarity(reference.samples, reference.sample_rate,
                                              out.audio, out.sample_rate))
        return round(float(np.mean(scores)), 4)

    baseline_style = engine.matching_styles()[result.baseline_voice]  # type: ignore[attr-defined]
    preview = engine.generate(GenerateRequest(HELD_OUT[0], voice_style=result.style,
                                              params=spec.params))
    row = {
        "reference": "beckett.wav (useful-moonshine-onnx), " + BECKETT_TEXT,
        "best_preset": result.baseline_voice,
        "best_preset_similarity": result.baseline_similarity,
        "matched_similarity": result.similarity,
        "best_preset_held_out": held_out(baseline_style),
        "matched_held_out": held_out(result.style),
        "matched_wer_held_out": analysis.listen(HELD_OUT[0], preview.audio,
                                                preview.sample_rate).wer,
        "evaluations": result.evaluations,
        "wall_seconds": result.seconds,
        "cpu_seconds": round(cpu_seconds, 1),
        "budget_s": args.budget, "max_evals": args.max_evals, "seed": args.seed,
        "trace": result.trace,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "voice_match.json").write_text(json.dumps(row, indent=2) + "\n")
    table = (
        "| reference | best preset | preset sim. | matched sim. | held-out preset | "
        "held-out matched | matched WER | voices tried | wall s |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| beckett.wav | {row['best_preset']} | {row['best_preset_similarity']:.3f} | "
        f"{row['matched_similarity']:.3f} | {row['best_preset_held_out']:.3f} | "
        f"{row['matched_held_out']:.3f} | {row['matched_wer_held_out']:.2f} | "
        f"{row['evaluations']} | {row['wall_seconds']:.0f} |\n")
    (RESULTS / "voice_match.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
