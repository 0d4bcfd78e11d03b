"""Engines for runner tests: one that clones (and records what it was given), one that only
speaks from its second try on, one that never speaks."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from openspeakers.engines.base import GenerateRequest, GenerateResult, TTSModelBase, Voice
from tests.audio_files import tone


class _Fake(TTSModelBase):
    sample_rate = 22050
    seen: ClassVar[list[GenerateRequest]] = []

    def load(self, device: str = "cpu") -> None:
        self.device = "cpu"

    def unload(self) -> None:
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice("default", "Default")]

    def generate(self, request: GenerateRequest) -> GenerateResult:
        type(self).seen.append(request)
        return GenerateResult(tone(1.5, self.sample_rate), self.sample_rate)


class CloningProbe(_Fake):
    model_id = "cloner"
    supports_voice_cloning = True
    seen: ClassVar[list[GenerateRequest]] = []


class Mumbler(_Fake):
    """Never says anything a listener could write down."""

    model_id = "mumbler"
    seen: ClassVar[list[GenerateRequest]] = []


class SecondTry(_Fake):
    """Hums on the default seed, speaks (through Piper) on any other."""

    model_id = "second-try"
    seen: ClassVar[list[GenerateRequest]] = []
    _piper: Any = None

    def load(self, device: str = "cpu") -> None:
        from openspeakers.engines.piper import PiperEngine

        self._piper = PiperEngine()
        self._piper.load("cpu")
        self.device = "cpu"

    def generate(self, request: GenerateRequest) -> GenerateResult:
        type(self).seen.append(request)
        if request.seed is None:
            return GenerateResult(tone(1.5, self.sample_rate), self.sample_rate)
        result = self._piper.generate(GenerateRequest(request.text))
        return GenerateResult(np.asarray(result.audio, np.float32), result.sample_rate)
