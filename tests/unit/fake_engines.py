"""Engines for runner tests: one that clones (and records what it was given), one that only
speaks from its second try on, one that never speaks, one that counts the tokens it makes in a
background thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np

from openspeakers.engines.base import (
    AudioChunk,
    GenerateRequest,
    GenerateResult,
    TTSModelBase,
    Voice,
)
from openspeakers.engines.threaded import threaded_stream
from openspeakers.runtime import CancelSignal, never
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


class TokenCounter(_Fake):
    """A model that makes one token per step in a background thread and hands audio over
    every `TOKENS_PER_CHUNK` tokens, as Orpheus does on transformers: through the shared
    threaded-streaming helper, checking its stop signal every step (a StoppingCriteria's
    place). `tokens` counts every step it ran, so a test sees whether it stopped."""

    model_id = "counter"
    TOKENS_PER_CHUNK = 10
    MAX_TOKENS = 2000
    tokens: ClassVar[list[int]] = [0]
    fail_at: ClassVar[int | None] = None

    def stream_generate(self, request: GenerateRequest,
                        cancel: CancelSignal | None = None) -> Iterator[AudioChunk]:
        self.require_loaded()
        count = TokenCounter.tokens  # shared with the registry's bound subclass
        count[0] = 0
        total = len(request.text)

        def produce(emit: Callable[[AudioChunk], None], stop: CancelSignal) -> None:
            for _ in range(self.MAX_TOKENS):
                if stop.is_set():
                    return
                count[0] += 1
                if count[0] == self.fail_at:
                    raise RuntimeError(f"out of memory at token {count[0]}")
                if count[0] % self.TOKENS_PER_CHUNK == 0:
                    emit(AudioChunk(tone(0.05, self.sample_rate), self.sample_rate,
                                    0, total))

        yield from threaded_stream(produce, cancel if cancel is not None else never(),
                                   name="counter-generate")


class HalfLoads(_Fake):
    """Builds part of its model, then fails: the manager must drop what was built."""

    model_id = "half-loads"
    unloads: ClassVar[list[str]] = []
    partial: Any = None

    def load(self, device: str = "cpu") -> None:
        self.partial = np.zeros(1_000_000, np.float32)  # "weights" already on the device
        raise RuntimeError("CUDA out of memory while loading")

    def unload(self) -> None:
        HalfLoads.unloads.append("unload")
        self.partial = None
        self.device = None


class Fragile(_Fake):
    """Reports its memory from the loaded weights, so asking an unloaded one fails, and takes
    a moment to unload (a window where a reader without the manager's lock sees it half-gone)."""

    model_id = "fragile"
    weights: Any = None

    def load(self, device: str = "cpu") -> None:
        self.weights = np.zeros(1000, np.float32)
        self.device = "cpu"

    def unload(self) -> None:
        self.device = None
        time.sleep(0.001)
        self.weights = None

    def memory_bytes(self) -> int | None:
        return int(self.weights.nbytes)
