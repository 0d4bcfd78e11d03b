"""Speaker similarity: Resemblyzer's d-vector encoder on the CPU (torch CPU build).

`embed` gives a unit 256-d voice embedding; the similarity of two clips is the cosine of
theirs (same speaker ~0.8-0.95, different voices ~0.5-0.8). The encoder loads once per
process (an lru_cache'd loader) and is used by one thread at a time. Resemblyzer's first call
compiles librosa's numba kernels (~30 s on a fresh install, cached on disk afterwards).
"""

from __future__ import annotations

import logging
import threading
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

from openspeakers.analysis.audio import resample

log = logging.getLogger(__name__)

MIN_VOICED_S = 0.5
"""Below this much voiced audio after Resemblyzer's VAD trim, the untrimmed clip is used."""


@lru_cache(maxsize=1)
def _load() -> tuple[Any, threading.Lock]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # webrtcvad imports pkg_resources (deprecated)
        from resemblyzer import VoiceEncoder

        encoder = VoiceEncoder("cpu", verbose=False)
    log.info("loaded the Resemblyzer speaker encoder")
    return encoder, threading.Lock()


class SpeakerEncoder:
    def embed(self, samples: np.ndarray, sample_rate: int) -> np.ndarray:
        """A unit-length voice embedding of mono float32 `samples`."""
        data = np.asarray(samples, np.float32).reshape(-1)
        if not data.size:
            raise ValueError("cannot embed empty audio")
        encoder, lock = _load()
        from resemblyzer import audio as rz_audio

        rate = rz_audio.sampling_rate
        wav = rz_audio.normalize_volume(resample(data, sample_rate, rate),
                                        rz_audio.audio_norm_target_dBFS, increase_only=True)
        voiced = rz_audio.trim_long_silences(wav)  # Resemblyzer's own preprocessing
        if len(voiced) >= MIN_VOICED_S * rate:  # else the VAD cut nearly everything
            wav = voiced
        with lock:
            embedding = encoder.embed_utterance(wav.astype(np.float32))
        return np.asarray(embedding, np.float32)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        """Cosine similarity of two embeddings."""
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))

    def compare(self, a: np.ndarray, rate_a: int, b: np.ndarray, rate_b: int) -> float:
        return self.similarity(self.embed(a, rate_a), self.embed(b, rate_b))
