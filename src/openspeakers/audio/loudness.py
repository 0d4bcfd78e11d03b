"""Every output at one loudness: a constant gain per stream, then a true-peak limiter.

Engines come out at their own levels (eSpeak, Piper and Kokoro are several LU apart), so
changing voice changed the volume. Outputs are brought to LOUDNESS_TARGET_LUFS integrated
loudness (ITU-R BS.1770, measured with pyloudnorm) with true peaks at most
LOUDNESS_TRUE_PEAK_DB.

A stream cannot wait for the whole text to be measured, and a gain that moved from sentence
to sentence would make the sentences of one answer sound uneven. So each stream gets one
gain, chosen before its first chunk goes out:

- from the calibration of its (model, voice) (audio/calibration.py), learnt from the outputs
  made before; nothing is held back;
- for a (model, voice) not heard yet, from the first chunks: they are held until
  ESTIMATE_SECONDS of audio is there (the first sentence, for sentence-streaming engines,
  is usually already that long), measured, and sent.

At the end of the stream its output is measured and the calibration learns from it.

The gain can push peaks over the ceiling; a look-ahead limiter (`TruePeakLimiter`) brings
them under it smoothly. It holds back LOOKAHEAD_S of audio (a few milliseconds), which the
stream sends as a last small chunk.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.ndimage import maximum_filter1d
from scipy.signal import resample_poly

from openspeakers.audio.calibration import Calibration
from openspeakers.engines.base import AudioChunk
from openspeakers.runtime import Runtime

BLOCK_SECONDS = 0.4
"""BS.1770's gating block: pyloudnorm measures nothing shorter."""
ESTIMATE_SECONDS = 1.0
"""Audio measured for a (model, voice) without calibration before its stream starts: one
400 ms block of speech can be several LU off (a pause, one stressed syllable)."""
LEARN_SECONDS = 120.0
"""Most of an output measured for the calibration (its beginning); enough for a mean."""
MAX_GAIN_DB = 30.0
"""Largest boost or cut: a near-silent output is not blown up into noise."""
OVERSAMPLING = 4
"""True peak: the signal's peak after 4x oversampling (BS.1770-4 Annex 2)."""
LOOKAHEAD_S = 0.005
"""The limiter's attack: the gain is already down when a peak arrives, reached in 5 ms."""
RELEASE_DB_PER_S = 40.0
"""How fast the limiter's gain comes back after a peak."""
CONTEXT = 16
"""Samples either side the oversampling filter needs (resample_poly's is 10 for 4x)."""
MARGIN_DB = 0.05
"""The limiter aims this far under the ceiling (rounding, filter edge effects)."""


def integrated_loudness(samples: np.ndarray, sample_rate: int) -> float | None:
    """Integrated loudness in LUFS (pyloudnorm), or None for silence. Audio shorter than one
    block is measured repeated to one block's length (what it would measure as a loop)."""
    import pyloudnorm

    audio = np.asarray(samples, np.float64).reshape(-1)
    if audio.size == 0:
        return None
    block = math.ceil(BLOCK_SECONDS * sample_rate)
    if audio.size < block:
        audio = np.tile(audio, math.ceil(block / audio.size))
    lufs = float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio))
    return lufs if math.isfinite(lufs) and lufs > -70.0 else None


def sample_true_peaks(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the 4x oversampled signal between it and the next
    (and of the sample itself)."""
    audio = np.asarray(samples, np.float64).reshape(-1)
    if audio.size == 0:
        return audio
    over = np.abs(resample_poly(audio, OVERSAMPLING, 1)).reshape(-1, OVERSAMPLING).max(axis=1)
    return np.maximum(over, np.abs(audio))


def true_peak_db(samples: np.ndarray) -> float:
    """True peak in dBTP (4x oversampled); -inf for silence."""
    peaks = sample_true_peaks(samples)
    peak = float(peaks.max()) if peaks.size else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


class TruePeakLimiter:
    """Keeps true peaks under `ceiling_db` with a smooth gain, chunk by chunk.

    The gain reduction a sample needs (dB over the ceiling) is held for LOOKAHEAD_S before it
    (a forward maximum), released at RELEASE_DB_PER_S, then smoothed by a moving average as
    long as the look-ahead: the average of values that each cover the peak is at least what
    the peak needs, and the gain never jumps, so nothing clicks. The output lags the input by
    `delay` samples; `flush` returns them. Processing in chunks gives the same samples as in
    one piece.
    """

    def __init__(self, sample_rate: int, ceiling_db: float) -> None:
        self.ceiling_db = ceiling_db - MARGIN_DB
        self.lookahead = max(1, round(LOOKAHEAD_S * sample_rate))
        self.release = RELEASE_DB_PER_S / sample_rate
        self.delay = self.lookahead + CONTEXT
        self._pending = np.zeros(0, np.float64)
        """Input not sent yet: the look-ahead and the filter's right context."""
        self._context = np.zeros(0, np.float64)
        """The last input samples sent: the filter's left context."""
        self._reduction = 0.0
        """Held-and-released reduction (dB) at the last sample sent."""
        self._recent = np.zeros(self.lookahead - 1, np.float64)
        """Reductions of the last look-ahead - 1 samples sent, for the moving average."""

    def process(self, samples: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, np.asarray(samples, np.float64).reshape(-1)])
        ready = data.size - self.delay
        if ready <= 0:
            self._pending = data
            return np.zeros(0, np.float32)
        context = self._context.size
        peaks = sample_true_peaks(np.concatenate([self._context, data]))[context:]
        with np.errstate(divide="ignore"):
            needed = np.maximum(0.0, 20 * np.log10(peaks) - self.ceiling_db)
        span = needed[: ready + self.lookahead - 1]
        # held: max of needed[n .. n + lookahead - 1] for each sample n sent now
        held = maximum_filter1d(span, self.lookahead, mode="nearest",
                                origin=-(self.lookahead // 2))[:ready]
        if held.any() or self._reduction > 0:
            index = np.arange(ready, dtype=np.float64) * self.release
            released = np.maximum.accumulate(held + index)
            released = np.maximum(released, self._reduction - self.release) - index
        else:
            released = held
        window = np.concatenate([self._recent, released])
        sums = np.cumsum(np.concatenate([[0.0], window]))
        smoothed = (sums[self.lookahead :] - sums[: -self.lookahead]) / self.lookahead
        out = data[:ready] * 10 ** (-smoothed / 20)
        self._reduction = float(released[-1])
        self._recent = window[window.size - (self.lookahead - 1) :]
        self._context = data[max(0, ready - CONTEXT) : ready]
        self._pending = data[ready:]
        return out.astype(np.float32)

    def flush(self) -> np.ndarray:
        """The held-back samples (the stream's end: silence follows)."""
        held = self._pending.size
        if held == 0:
            return np.zeros(0, np.float32)
        return self.process(np.zeros(self.delay, np.float64))[:held]


@dataclass(frozen=True)
class Leveling:
    """How one job's output is levelled: target, ceiling, and where its calibration lives."""

    enabled: bool
    target_lufs: float
    ceiling_db: float
    calibration: Calibration
    key: str

    @classmethod
    def of(cls, runtime: Runtime, model_id: str, voice: str | None,
           parameters: Mapping[str, Any]) -> Leveling:
        """A job's leveling: LOUDNESS_NORMALIZE off turns it off for every job, a job's
        `normalize_loudness` false for that job."""
        settings = runtime.settings
        enabled = settings.loudness_normalize and bool(
            parameters.get("normalize_loudness", True))
        return cls(enabled, settings.loudness_target_lufs, settings.loudness_true_peak_db,
                   runtime.loudness, Calibration.key(model_id, voice))

    def stream(self, chunks: Iterator[AudioChunk]) -> Iterator[AudioChunk]:
        """`chunks` levelled (unchanged when off); the calibration learns from the output once
        the stream has ended (not when it is closed early: a cancelled or failed job)."""
        if not self.enabled:
            yield from chunks
            return
        known = self.calibration.get(self.key)
        gain_db = None if known is None else self._gain(known.lufs)
        held: list[AudioChunk] = []
        kept: list[np.ndarray] = []
        kept_samples = 0
        limiter: TruePeakLimiter | None = None
        last: AudioChunk | None = None
        for chunk in chunks:
            last = chunk
            if limiter is None:
                limiter = TruePeakLimiter(chunk.sample_rate, self.ceiling_db)
            if gain_db is None:
                held.append(chunk)
                if sum(c.audio.size for c in held) < ESTIMATE_SECONDS * chunk.sample_rate:
                    continue
                chunk, gain_db = self._estimated(held)
                held = []
            out = limiter.process(chunk.audio * 10 ** (gain_db / 20))
            if kept_samples < LEARN_SECONDS * chunk.sample_rate:
                kept.append(out)
                kept_samples += out.size
            if out.size:
                yield AudioChunk(out, chunk.sample_rate, chunk.chars_done, chunk.chars_total)
        if last is None or limiter is None:
            return
        if held:  # the whole output was shorter than ESTIMATE_SECONDS
            chunk, gain_db = self._estimated(held)
            out = limiter.process(chunk.audio * 10 ** (gain_db / 20))
            kept.append(out)
            if out.size:
                yield AudioChunk(out, chunk.sample_rate, chunk.chars_done, chunk.chars_total)
        tail = limiter.flush()
        kept.append(tail)
        if tail.size:
            yield AudioChunk(tail, last.sample_rate, last.chars_done, last.chars_total)
        self._learn(np.concatenate(kept), last.sample_rate, gain_db or 0.0)

    def _gain(self, lufs: float) -> float:
        return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, self.target_lufs - lufs))

    def _estimated(self, held: list[AudioChunk]) -> tuple[AudioChunk, float]:
        """The held chunks as one, and the gain their loudness asks for (0 dB: silence)."""
        last = held[-1]
        audio = np.concatenate([c.audio for c in held]).astype(np.float32, copy=False)
        lufs = integrated_loudness(audio, last.sample_rate)
        gain = 0.0 if lufs is None else self._gain(lufs)
        return AudioChunk(audio, last.sample_rate, last.chars_done, last.chars_total), gain

    def _learn(self, output: np.ndarray, sample_rate: int, gain_db: float) -> None:
        """The raw loudness this output implies (its measured loudness less the gain given,
        so the limiter's losses are made up next time) into the calibration."""
        lufs = integrated_loudness(output, sample_rate)
        if lufs is not None:
            self.calibration.learn(self.key, lufs - gain_db, output.size / sample_rate)
