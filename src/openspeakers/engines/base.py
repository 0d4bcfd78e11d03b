"""The engine contract: every TTS engine implements `TTSModelBase`."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from openspeakers.audio.text import smooth_edges, split_sentences
from openspeakers.runtime import CancelSignal, Runtime, never

if TYPE_CHECKING:
    from openspeakers.engines.params import Param
    from openspeakers.text.spoken import SpokenForm

log = logging.getLogger(__name__)

SENTENCE_PAUSE_S = 0.12
"""Silence put between sentences generated separately, so joins sound like speech."""


class EngineError(RuntimeError):
    """An engine could not produce audio; the message is shown to the user."""


class InvalidRequestError(EngineError):
    """The request cannot be served by this engine (unknown voice, bad parameter)."""

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        """The request field at fault (`voice`, `text`, ...), reported as OpenAI's `param`."""


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
    inline_phonemes: bool = False
    """`text` holds `[[...]]` blocks of phonemes in the engine's `phoneme_alphabet` (from SSML
    `<phoneme>` or the lexicon; engines/speech.py), to be spoken as they are written."""
    spoken: SpokenForm | None = None
    """The job's text normalisation (text/spoken.py): each sentence goes through it just
    before it is generated; None: the text is spoken as written."""


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
    """A TTS engine. Instances are created unloaded; `load` may be slow, `generate` is not.

    The identity and capability attributes below (model_name ... vram_gb_estimate) and
    `runtime` are not written in the adapters: `ModelSpec.engine_class()` returns the adapter
    with them set from configs/models.yaml (the only list) and the process's runtime. An
    adapter declares what is true of its code only (`model_id`, `sample_rate`, `speed_range`,
    voices).
    """

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
    supports_text_normalization: ClassVar[bool] = False
    """The engine turns numbers, dates and abbreviations into words itself (capability
    `text_normalization`): the runner does not normalise its text a second time."""
    speed_range: ClassVar[tuple[float, float]] = (0.25, 4.0)
    """Speeds the engine renders natively; requests outside it are refused before queueing."""
    vram_gb_estimate: ClassVar[float] = 0.0
    parameters: ClassVar[Mapping[str, Param]] = {}
    """The `params` the engine reads, with type and range (engines/params.py); anything else
    in a request is refused before its job is written."""
    phoneme_alphabet: ClassVar[str | None] = None
    """The alphabet of the phonemes the engine speaks from `[[...]]` blocks in its text
    (`GenerateRequest.inline_phonemes`): "ipa" (Piper, Kokoro) or "x-espeak" (eSpeak's
    mnemonics); None: it takes none, and SSML `<phoneme>` falls back to the written word."""
    runtime: Runtime = Runtime()
    """Settings and services; the registry's bound class carries the process's (defaults on a
    bare adapter class); an instance may be given its own."""

    def __init__(self, options: Mapping[str, Any] | None = None,
                 runtime: Runtime | None = None) -> None:
        self.options = dict(options or {})
        if runtime is not None:
            self.runtime = runtime
        self.device: str | None = None

    @property
    def is_loaded(self) -> bool:
        return self.device is not None

    def require_loaded(self) -> None:
        if self.device is None:
            raise EngineError(f"model '{self.model_id}' is not loaded")

    def params(self, request: GenerateRequest) -> dict[str, Any]:
        """Registry defaults overridden by the request's engine parameters (loaded engines
        only: a request never reaches an engine that is not)."""
        self.require_loaded()
        return {**self.options, **request.params}

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
                                      f"valid voices: {shown}", param="voice")
        return voice

    def memory_bytes(self) -> int | None:
        """Memory held by the loaded weights, where the engine can tell."""
        return None

    def stream_generate(self, request: GenerateRequest,
                        cancel: CancelSignal | None = None) -> Iterator[AudioChunk]:
        """Yield audio in order as it is ready; stop with `Cancelled` once `cancel` is set.

        Engines without native streaming get sentence-level streaming here: the text is split
        into sentences, each generated on its own (after checking `cancel`), faded at its edges
        (no clicks at the joins) and followed by a short pause. With `request.spoken`, markup
        leaves the text first and each sentence is normalised right before it is generated.
        """
        cancel = cancel if cancel is not None else never()
        spoken = request.spoken
        text = (spoken.prepare(request.text) if spoken is not None and not request.inline_phonemes
                else request.text)
        sentences = split_sentences(text)
        total = len(text)
        done = 0
        for index, sentence in enumerate(sentences):
            cancel.check()
            said = sentence if spoken is None else (
                spoken.keep(sentence) if request.inline_phonemes  # [[phonemes]] as they are
                else spoken.sentence(sentence))
            result = self.generate_sentence(replace(request, text=said, spoken=None))
            audio = smooth_edges(result.audio.astype(np.float32), result.sample_rate)
            if index < len(sentences) - 1:
                pause = np.zeros(int(SENTENCE_PAUSE_S * result.sample_rate), np.float32)
                audio = np.concatenate([audio, pause])
            found = text.find(sentence, done)
            done = found + len(sentence) if found >= 0 else min(total, done + len(sentence))
            yield AudioChunk(audio, result.sample_rate, total if index == len(sentences) - 1
                             else done, total)

    def generate_sentence(self, request: GenerateRequest) -> GenerateResult:
        """`generate` for one sentence of a stream, answered from the process's sentence cache
        when this engine said the same sentence the same way before (engines/sentence_cache.py)."""
        cache = self.runtime.sentence_cache
        key = cache.key(self.model_id, request)
        cached = cache.get(key) if key is not None else None
        if cached is not None:
            return cached
        result = self.generate(request)
        if key is not None:
            cache.put(key, result)
        return result

    def clone_voice(self, audio_path: Path, name: str) -> dict[str, Any]:
        """Prepare a cloned voice from a reference recording (cloning engines override)."""
        raise InvalidRequestError(f"model '{self.model_id}' does not support voice cloning")
