"""Engine audio (float32) as Wyoming audio: 16-bit little-endian mono PCM in small chunks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

WIDTH = 2
CHANNELS = 1
SAMPLES_PER_CHUNK = 1024
"""Samples per `audio-chunk` event, as wyoming-piper sends them (43 ms at 24 kHz)."""


def pcm16(audio: np.ndarray) -> bytes:
    samples = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)
    return (samples * 32767.0).astype("<i2").tobytes()


def pcm_chunks(audio: np.ndarray, samples_per_chunk: int = SAMPLES_PER_CHUNK
               ) -> Iterator[bytes]:
    data = pcm16(audio)
    step = samples_per_chunk * WIDTH * CHANNELS
    for offset in range(0, len(data), step):
        yield data[offset:offset + step]


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)
