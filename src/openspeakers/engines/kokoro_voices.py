"""Kokoro voices shared by both Kokoro builds (ONNX and PyTorch): blends and style arrays.

A Kokoro voice is a style array of shape (510, 1, 256): one 256-d style per phoneme count.
A blend names preset voices with optional weights, `af_heart(2)+af_bella(1)`, and speaks with
their weighted mean; a matched voice (voices/matching.py) is such an array found by search.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

from openspeakers.engines.base import InvalidRequestError, TTSModelBase

# phonemizer (both builds' espeak G2P) warns on every sentence that espeak's word count differs
# from the text's; the audio is right, so keep the log readable. (A filter, since phonemizer
# resets its level.)
logging.getLogger("phonemizer").addFilter(lambda record: "words count mismatch"
                                          not in record.getMessage())

_BLEND_PART = re.compile(
    r"\s*([A-Za-z0-9_]+)\s*(?:\(\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*\))?\s*")
MAX_BLEND_CHARS = 128
MIN_WEIGHT, MAX_WEIGHT = 0.001, 1000.0
"""Weights outside this range are refused: they drown the other voices or overflow the mean."""
STYLE_SHAPE = (1, 256)


def is_blend(voice: str | None) -> bool:
    return voice is not None and ("+" in voice or "(" in voice)


def parse_blend(voice: str, ids: Collection[str]) -> list[tuple[str, float]]:
    """`"jf_alpha(2)+jm_kumo(1)"` -> [("jf_alpha", 2.0), ("jm_kumo", 1.0)] (weight 1 if left
    out), or `InvalidRequestError` saying what is wrong. `ids` are the voices that exist."""
    if len(voice) > MAX_BLEND_CHARS:
        raise InvalidRequestError(f"voice blend is longer than {MAX_BLEND_CHARS} characters")
    parts: list[tuple[str, float]] = []
    for piece in voice.split("+"):
        match = _BLEND_PART.fullmatch(piece)
        if match is None:
            raise InvalidRequestError(
                f"bad voice blend '{voice}': write voices with optional weights joined by '+', "
                "e.g. jf_alpha(2)+jm_kumo(1)")
        name, weight = match.group(1), float(match.group(2) or 1.0)
        if name not in ids:
            shown = ", ".join(sorted(ids)[:20]) + (" ..." if len(ids) > 20 else "")
            raise InvalidRequestError(f"unknown voice '{name}' in blend '{voice}'; valid "
                                      f"voices: {shown}")
        if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
            raise InvalidRequestError(f"voice '{name}' has weight {weight:g} in blend "
                                      f"'{voice}'; weights must be between {MIN_WEIGHT:g} "
                                      f"and {MAX_WEIGHT:g}")
        if any(name == seen for seen, _ in parts):
            raise InvalidRequestError(f"voice '{name}' appears twice in blend '{voice}'")
        parts.append((name, weight))
    return parts


def canonical_blend(voice: str, ids: Collection[str]) -> str:
    """The blend written one way (`a(2)+b(1)`), or the single voice it names; what is stored,
    so `parse_blend` must read it back (weights never in exponent form)."""
    parts = parse_blend(voice, ids)
    if len(parts) == 1:
        return parts[0][0]
    return "+".join(f"{name}({_weight(weight)})" for name, weight in parts)


def _weight(weight: float) -> str:
    """A weight in plain decimals, 6 significant digits: 1e-05 would be `0.00001`."""
    return f"{float(f'{weight:.6g}'):f}".rstrip("0").rstrip(".")


def mix(styles: Mapping[str, Any], parts: list[tuple[str, float]]) -> Any:
    """The weighted mean of the parts' styles (numpy arrays or torch tensors alike)."""
    total = sum(weight for _, weight in parts)
    return sum(styles[name] * (weight / total) for name, weight in parts)


def checked_style(style: Any) -> np.ndarray:
    """A matched voice's style as float32 (N, 1, 256), or `InvalidRequestError`."""
    array = np.asarray(style, np.float32)
    if array.ndim != 3 or array.shape[1:] != STYLE_SHAPE:
        raise InvalidRequestError(f"a Kokoro voice style must have shape (N, 1, 256), "
                                  f"not {array.shape}")
    return array


class KokoroVoices(TTSModelBase):
    """What both Kokoro builds do with voice names: presets and blends of them. A build says
    which presets it has (`stock_voice_ids`); its `resolve_voice` then accepts blends."""

    @classmethod
    def stock_voice_ids(cls) -> tuple[str, ...]:
        raise NotImplementedError

    @classmethod
    def resolve_voice(cls, voice: str | None) -> str:
        """A preset voice, or a blend of presets: `af_heart(2)+af_bella(1)` (canonical form)."""
        if voice and is_blend(voice):
            return canonical_blend(voice, cls.stock_voice_ids())
        return super().resolve_voice(voice)
