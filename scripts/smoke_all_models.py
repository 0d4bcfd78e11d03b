"""Smoke test of every enabled engine on a GPU host with the weights in MODEL_CACHE_DIR.

Each engine runs a fixed sentence set through the real adapter (load, generate, unload) and is
measured: load time, real-time factor (generation time / audio time), peak VRAM, word error rate
of a faster-whisper transcript and, for cloning engines, speaker similarity between the
reference and the output (Resemblyzer, when importable). Prints and writes a markdown table.

Engines live in their queue group's environment (`make worker-env GROUP=...`), so by default
the script runs itself once in every `.venv-<group>` that exists and merges the results:

    .venv/bin/python scripts/smoke_all_models.py --reference ref.wav --reference-text "..."
    .venv-tts.dia/bin/python scripts/smoke_all_models.py --here --models dia   # one env only
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import subprocess  # noqa: S404 - re-runs this script in each group environment
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Please call Stella and ask her to bring these things with her from the store.",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Open source speech synthesis keeps getting better every single year.",
)
COLUMNS = ("model", "status", "load s", "RTF", "peak VRAM GB", "WER", "similarity", "note")


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: word-level edit distance / reference length."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(len(ref), 1)


class Judge:
    """faster-whisper for WER, Resemblyzer for speaker similarity (each optional)."""

    def __init__(self, whisper_model: str, device: str) -> None:
        self.asr: Any = None
        self.encoder: Any = None
        try:
            from faster_whisper import WhisperModel

            self.asr = WhisperModel(whisper_model, device="cuda" if "cuda" in device else "cpu",
                                    compute_type="float16" if "cuda" in device else "int8")
        except Exception as exc:  # missing package or weights: WER is left out
            print(f"WER disabled: {exc}", file=sys.stderr)
        try:
            from resemblyzer import VoiceEncoder

            self.encoder = VoiceEncoder(device="cpu")
        except Exception as exc:
            print(f"similarity disabled: {exc}", file=sys.stderr)

    def transcript(self, audio: Any, rate: int) -> str | None:
        if self.asr is None:
            return None
        from openspeakers.engines.hf import resample

        segments, _ = self.asr.transcribe(resample(audio, rate, 16000), language="en",
                                          beam_size=1)
        return " ".join(s.text for s in segments)

    def similarity(self, reference: Path, audio: Any, rate: int) -> float | None:
        if self.encoder is None:
            return None
        import numpy as np
        from resemblyzer import preprocess_wav

        from openspeakers.engines.hf import read_audio

        ref, ref_rate = read_audio(reference)
        a = self.encoder.embed_utterance(preprocess_wav(ref, source_sr=ref_rate))
        b = self.encoder.embed_utterance(preprocess_wav(audio, source_sr=rate))
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def run_engine(spec: Any, args: argparse.Namespace, judge: Judge) -> dict[str, Any]:
    import torch

    from openspeakers.engines.base import GenerateRequest

    row: dict[str, Any] = {"model": spec.id}
    cuda = torch.cuda.is_available() and args.device.startswith("cuda")
    if cuda:
        torch.cuda.reset_peak_memory_stats(args.device)
    engine = spec.create()
    started = time.perf_counter()
    engine.load(args.device)
    row["load s"] = time.perf_counter() - started
    cloning = engine.supports_voice_cloning and args.reference is not None
    gen_s = audio_s = 0.0
    errors, sims = [], []
    try:
        for index, sentence in enumerate(SENTENCES):
            request = GenerateRequest(text=sentence, seed=index)
            if cloning:
                request.reference_audio = args.reference
                request.reference_text = args.reference_text
            t0 = time.perf_counter()
            result = engine.generate(request)
            gen_s += time.perf_counter() - t0
            audio_s += result.duration
            text = judge.transcript(result.audio, result.sample_rate)
            if text is not None:
                errors.append(wer(sentence, text))
            if cloning:
                sim = judge.similarity(args.reference, result.audio, result.sample_rate)
                if sim is not None:
                    sims.append(sim)
    finally:
        engine.unload()
        del engine
        gc.collect()
        if cuda:
            torch.cuda.empty_cache()
    row["RTF"] = gen_s / audio_s if audio_s else None
    row["peak VRAM GB"] = torch.cuda.max_memory_allocated(args.device) / 2**30 if cuda else None
    row["WER"] = sum(errors) / len(errors) if errors else None
    row["similarity"] = sum(sims) / len(sims) if sims else None
    row["status"] = "ok"
    return row


def run_here(args: argparse.Namespace) -> list[dict[str, Any]]:
    from openspeakers.config import get_settings
    from openspeakers.engines.availability import check_here
    from openspeakers.engines.registry import load_registry
    from openspeakers.runtime import Runtime

    settings = get_settings()
    registry = load_registry(settings.models_config, Runtime(settings))
    wanted = args.models or [m for m, s in registry.models.items()
                             if s.enabled and s.device in ("cuda", "auto")]
    judge: Judge | None = None
    rows = []
    for model_id in wanted:
        spec = registry.get(model_id)
        state = check_here(spec, settings)
        if not state.available:
            rows.append({"model": model_id, "status": "unavailable", "note": state.reason})
            continue
        judge = judge or Judge(args.whisper_model, args.device)
        try:
            rows.append(run_engine(spec, args, judge))
        except Exception as exc:
            rows.append({"model": model_id, "status": "failed", "note": f"{type(exc).__name__}: "
                                                                        f"{exc}"[:300]})
    return rows


def run_all_groups(args: argparse.Namespace, argv: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    registry = _registry_models()
    for model_id in args.models or []:
        group = registry[model_id]["group"]
        if not (ROOT / f".venv-{group}" / "bin" / "python").exists():
            how = (f"build it with `make worker-env GROUP={group}`" if registry[model_id]["extra"]
                   else "the server's environment runs it: add --here")
            rows.append({"model": model_id, "status": "no environment", "note": how})
    for venv in sorted(ROOT.glob(".venv-*")):
        python = venv / "bin" / "python"
        if not python.exists():
            continue
        group = venv.name.removeprefix(".venv-")
        models = _group_models(group, args.models)
        if not models:
            continue
        out = subprocess.run([str(python), __file__, "--here", "--json", *argv,  # noqa: S603
                              "--models", *models], capture_output=True, text=True, check=False)
        try:
            rows.extend(json.loads(out.stdout.strip().splitlines()[-1]))
        except (IndexError, json.JSONDecodeError):
            rows.extend({"model": m, "status": "failed", "note": out.stderr[-300:]}
                        for m in models)
    return rows


def _registry_models() -> dict[str, dict[str, Any]]:
    import yaml

    raw = yaml.safe_load((ROOT / "configs" / "models.yaml").read_text(encoding="utf-8"))
    return dict(raw["models"])


def _group_models(group: str, wanted: list[str] | None) -> list[str]:
    """The group's models asked for, or by default its enabled GPU ones."""
    return [m for m, s in _registry_models().items() if s.get("group") == group
            and (m in wanted if wanted else
                 s.get("device") in ("cuda", "auto") and s.get("enabled", True))]


def table(rows: list[dict[str, Any]]) -> str:
    def cell(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:.2f}"
        return " ".join(str(value).replace("|", "/").split())

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", help="model ids (default: every enabled GPU one)")
    parser.add_argument("--device", default="cuda:0")
    parser.add_argument("--reference", type=Path, help="reference recording for cloning engines")
    parser.add_argument("--reference-text", help="its transcript (F5, Fish, Dia need it)")
    parser.add_argument("--whisper-model", default="base.en")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "smoke.md")
    parser.add_argument("--here", action="store_true", help="only this Python environment")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    unknown = sorted(set(args.models or ()) - set(_registry_models()))
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; valid models: "
                     f"{', '.join(_registry_models())}")
    passthrough = ["--device", args.device, "--whisper-model", args.whisper_model]
    if args.reference:
        passthrough += ["--reference", str(args.reference.resolve())]
    if args.reference_text:
        passthrough += ["--reference-text", args.reference_text]
    rows = run_here(args) if args.here else run_all_groups(args, passthrough)
    if args.json:
        print(json.dumps(rows))
        return
    text = table(rows)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"# Engine smoke test ({time.strftime('%Y-%m-%d %H:%M')})\n\n{text}\n",
                        encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
