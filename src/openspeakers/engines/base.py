"""The engine contract: every TTS engine implements `TTSModelBase`."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from openspeakers.audio.text import smooth_edges, split_sentences

log = logging.getLogger(__name__)

SENTENCE_PAUSE_S = 0.12
"""Silence put between sentences generated separately, so joins sound like speech."""


class EngineError(RuntimeError):
    """An engine could not produce audio; the message is shown to the user."""


class InvalidRequestError(EngineError):
    """The request cannot be served by this engine (unknown voice, bad parameter)."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str | None = None
    gender: str | None = None


@dataclass
class GenerateRequest:
    text: str
    voice: str | None = None
    speed: float = 1.0
    pitch: float = 1.0
    language: str | None = None
    instructions: str | None = None
    reference_audio: Path | None = None
    """A voice profile's normalised reference (cloning engines speak with its voice)."""
    reference_text: str | None = None
    """What `reference_audio` says (engines such as F5-TTS need it)."""
    voice_style: Any = None
    """An engine-specific voice made from a profile, used instead of `voice` (Kokoro: a style
    array of shape (510, 1, 256) found by voice matching)."""
    seed: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class GenerateResult:
    audio: np.ndarray
    """Mono float32 samples in [-1, 1]."""
    sample_rate: int
    format: str = "float32"

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate


@dataclass
class AudioChunk:
    """One piece of a stream, in order; `chars_done` of `chars_total` lets callers show progress."""

    audio: np.ndarray
    sample_rate: int
    chars_done: int
    chars_total: int

    @property
    def progress(self) -> float:
        return self.chars_done / self.chars_total if self.chars_total else 1.0


class TTSModelBase(ABC):
    """A TTS engine. Instances are created unloaded; `load` may be slow, `generate` is not."""

    model_id: ClassVar[str] = ""
    model_name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    sample_rate: ClassVar[int] = 24000
    supports_voice_cloning: ClassVar[bool] = False
    supports_streaming: ClassVar[bool] = False
    """True only where the engine streams natively (below sentence level)."""
    supports_speed: ClassVar[bool] = False
    supports_pitch: ClassVar[bool] = False
    supports_instructions: ClassVar[bool] = False
    speed_range: ClassVar[tuple[float, float]] = (0.25, 4.0)
    """Speeds the engine renders natively; requests outside it are refused before queueing."""
    vram_gb_estimate: ClassVar[float] = 0.0

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self.device: str | None = None

    @property
    def is_loaded(self) -> bool:
        return self.device is not None

    @abstractmethod
    def load(self, device: str = "cpu") -> None:
        """Load weights onto `device`; must set `self.device`."""

    @abstractmethod
    def unload(self) -> None:
        """Drop every reference to the weights (and free device memory); set `device` to None."""

    @abstractmethod
    def generate(self, request: GenerateRequest) -> GenerateResult:
        """Generate the whole text at once."""

    @classmethod
    @abstractmethod
    def builtin_voices(cls) -> list[Voice]:
        """Preset voices; must work without loading the model (the API lists them)."""

    @classmethod
    def default_voice(cls) -> str:
        return cls.builtin_voices()[0].id

    @classmethod
    def resolve_voice(cls, voice: str | None) -> str:
        """The voice id to use, or `InvalidRequestError` naming the valid ones."""
        if not voice:
            return cls.default_voice()
        ids = [v.id for v in cls.builtin_voices()]
        if voice not in ids:
            shown = ", ".join(ids[:20]) + (" ..." if len(ids) > 20 else "")
            raise InvalidRequestError(f"unknown voice '{voice}' for model '{cls.model_id}'; "
                                      f"valid voices: {shown}")
        return voice

    def memory_bytes(self) -> int | None:
        """Memory held by the loaded weights, where the engine can tell."""
        return None

    def stream_generate(self, request: GenerateRequest) -> Iterator[AudioChunk]:
        """Yield audio in order as it is ready.

        Engines without native streaming get sentence-level streaming here: the text is split
        into sentences, each generated on its own, faded at its edges (no clicks at the joins)
        and followed by a short pause.
        """
        sentences = split_sentences(request.text)
        total = len(request.text)
        done = 0
        for index, sentence in enumerate(sentences):
            result = self.generate(replace(request, text=sentence))
            audio = smooth_edges(result.audio.astype(np.float32), result.sample_rate)
            if index < len(sentences) - 1:
                pause = np.zeros(int(SENTENCE_PAUSE_S * result.sample_rate), np.float32)
                audio = np.concatenate([audio, pause])
            found = request.text.find(sentence, done)
            done = found + len(sentence) if found >= 0 else min(total, done + len(sentence))
            yield AudioChunk(audio, result.sample_rate, total if index == len(sentences) - 1
                             else done, total)

    def clone_voice(self, audio_path: Path, name: str) -> dict[str, Any]:
        """Prepare a cloned voice from a reference recording (cloning engines override)."""
        raise InvalidRequestError(f"model '{self.model_id}' does not support voice cloning")
