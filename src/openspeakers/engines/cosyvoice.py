"""CosyVoice 2 0.5B (FunAudioLLM): cloning, instructions, native streaming, 24 kHz.

The official code is not a pip package: scripts/install_cosyvoice_source.sh puts a pinned
checkout of FunAudioLLM/CosyVoice (and its Matcha-TTS) on the worker environment's path.
The mode follows the request: reference + transcript -> zero-shot; reference alone ->
cross-lingual; instructions (with a reference, or with the example voice) -> instruct2.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.engines import hf
from openspeakers.engines.base import AudioChunk, GenerateRequest, GenerateResult, Voice
from openspeakers.runtime import CancelSignal

EXAMPLE_PROMPT = ("asset/zero_shot_prompt.wav", "希望你以后能够做的比我还好呦。")
"""The prompt recording in the CosyVoice source tree and its transcript: the default voice."""


def inference_call(request: GenerateRequest, prompt_wav: str,
                   prompt_text: str | None) -> tuple[str, dict[str, Any]]:
    """Which CosyVoice2 inference method serves the request, and its arguments."""
    if request.instructions:
        return "inference_instruct2", {"tts_text": request.text,
                                       "instruct_text": request.instructions,
                                       "prompt_wav": prompt_wav}
    if prompt_text:
        return "inference_zero_shot", {"tts_text": request.text, "prompt_text": prompt_text,
                                       "prompt_wav": prompt_wav}
    return "inference_cross_lingual", {"tts_text": request.text, "prompt_wav": prompt_wav}


class CosyVoiceEngine(hf.HubEngine):
    model_id = "cosyvoice"
    sample_rate = 24000
    hf_repo = "FunAudioLLM/CosyVoice2-0.5B"
    voices = (Voice(id="example", name="Example prompt (zh)", language="zh"),)
    _held = ("model",)

    def load_weights(self, folder: Path, device: str) -> None:
        from cosyvoice.cli.cosyvoice import CosyVoice2

        if device.startswith("cuda"):  # CosyVoice places itself on the current CUDA device
            import torch

            torch.cuda.set_device(torch.device(device))
        self.model = CosyVoice2(str(folder), load_jit=False, load_trt=False,
                                fp16=device.startswith("cuda"))

    def _prompt(self, request: GenerateRequest) -> tuple[str, str | None]:
        if request.reference_audio is not None:
            self.require_reference(request)
            return str(request.reference_audio), (request.reference_text or "").strip() or None
        self.resolve_voice(request.voice)
        import cosyvoice

        root = Path(cosyvoice.__file__).resolve().parents[1]
        wav = root / EXAMPLE_PROMPT[0]
        if not wav.is_file():
            raise hf.EngineError(f"example prompt {wav} missing: pass reference audio")
        return str(wav), EXAMPLE_PROMPT[1]

    def _run(self, request: GenerateRequest, stream: bool) -> Iterator[np.ndarray]:
        method, kwargs = inference_call(request, *self._prompt(request))
        for out in getattr(self.model, method)(**kwargs, stream=stream):
            yield hf.to_float32_mono(out["tts_speech"])

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        pieces = list(self._run(request, stream=False))
        return GenerateResult(np.concatenate(pieces), int(self.model.sample_rate))

    def synthesize_stream(self, request: GenerateRequest,
                          cancel: CancelSignal) -> Iterator[AudioChunk]:
        total, previous = len(request.text), None
        for piece in self._run(request, stream=True):  # generated in this thread, piece by piece
            cancel.check()
            if previous is not None:
                yield AudioChunk(previous, int(self.model.sample_rate), 0, total)
            previous = piece
        if previous is not None:
            yield AudioChunk(previous, int(self.model.sample_rate), total, total)
