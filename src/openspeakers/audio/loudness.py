"""Every output at one loudness: a constant gain per stream, then a true-peak limiter.

Engines come out at their own levels, so changing voice or engine changed the volume.
Outputs are brought to LOUDNESS_TARGET_LUFS integrated loudness (ITU-R BS.1770, measured with
pyloudnorm) with true peaks at most LOUDNESS_TRUE_PEAK_DB (audio/limiter.py).

A stream cannot wait for the whole text to be measured, and a gain that moved from sentence
to sentence would make the sentences of one answer sound uneven. So each stream gets one
gain, chosen before its first chunk goes out:

- from the calibration of its (model, voice) and the first chunk, measured as it comes
  (weighed against the calibration by its length, PRIOR_SECONDS);
- for a (model, voice) not heard yet, from the first chunks: they are held until
  ESTIMATE_SECONDS of audio is there (for sentence-streaming engines the first sentence is
  usually that long already), measured, and sent;
- when the first chunk is the whole output (one sentence: "Sure.", "One moment."), from that
  chunk, which is in hand anyway: short replies differ most from a voice's mean (up to 2.5
  LU louder measured on Piper), and this costs no waiting.

Lifting speech to -16 LUFS puts its peaks over -1.5 dBTP (the engines' peak-to-loudness
ratios are 15-20 dB), and the limiter that brings them down costs loudness (0.5-2.5 LU
measured). The gain makes up for it: for an estimate, `fit_gain` finds the gain whose limited
output measures the target on the held audio; the calibration keeps the loss next to the raw
loudness. At the end of each stream the calibration learns both from its first LEARN_SECONDS
(raw loudness, and the loss at the gain that would have been right: at most one more limiter
pass, so the job's end is hardly delayed).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from openspeakers.audio.calibration import Calibration, VoiceLoudness
from openspeakers.audio.limiter import TruePeakLimiter, limited
from openspeakers.engines.base import AudioChunk
from openspeakers.runtime import Runtime

BLOCK_SECONDS = 0.4
"""BS.1770's gating block: pyloudnorm measures nothing shorter."""
ESTIMATE_SECONDS = 1.0
"""Audio measured for a (model, voice) without calibration before its stream starts: one
400 ms block of speech can be several LU off (a pause, one stressed syllable)."""
LEARN_SECONDS = 30.0
"""Most of an output measured for the calibration (its beginning): enough for a mean, and a
bounded cost at the end of a long job."""
MAX_GAIN_DB = 30.0
"""Largest boost or cut: a near-silent output is not blown up into noise."""
MAX_LOSS_DB = 4.0
"""Most loudness the gain makes up for the limiter's sake: past it the limiter would be
squashing the speech, and a quieter output is the better answer."""
PRIOR_SECONDS = 3.0
"""A known voice's calibration counts as this many seconds of it against the first chunk of
a stream (which is measured, ~1 ms, as it is in hand): a text that is quieter or louder than
the voice's mean moves the gain by its first chunk's share."""
FIT_STEPS = 4
"""Gains tried by `fit_gain` at most (the secant method is within 0.05 LU in 2-3)."""


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


@dataclass(frozen=True)
class Fit:
    gain_db: float
    lufs: float
    """The raw audio's integrated loudness."""
    loss_db: float
    """What the limiter takes off at `gain_db`."""


def fit_gain(samples: np.ndarray, sample_rate: int, target_lufs: float,
             ceiling_db: float) -> Fit | None:
    """The gain whose limited output measures `target_lufs` (None for silence): from the
    plain difference, corrected by the secant method for what the limiter takes off."""
    lufs = integrated_loudness(samples, sample_rate)
    if lufs is None:
        return None
    low, high = -MAX_GAIN_DB, min(MAX_GAIN_DB, target_lufs - lufs + MAX_LOSS_DB)
    gain = max(low, min(high, target_lufs - lufs))
    tried: list[tuple[float, float]] = []
    for _ in range(FIT_STEPS):
        out = limited(samples * 10 ** (gain / 20), sample_rate, ceiling_db)
        measured = integrated_loudness(out, sample_rate)
        if measured is None:
            break
        tried.append((gain, measured))
        if abs(measured - target_lufs) < 0.05:
            break
        if len(tried) == 1:
            slope = 1.0
        else:
            (g0, m0), (g1, m1) = tried[-2], tried[-1]
            slope = (m1 - m0) / (g1 - g0) if g1 != g0 else 1.0
        step = (target_lufs - measured) / max(slope, 0.2)
        gain = max(low, min(high, gain + step))
        if gain == tried[-1][0]:
            break
    best_gain, best = min(tried, key=lambda t: abs(t[1] - target_lufs)) if tried else (gain, lufs)
    return Fit(best_gain, lufs, lufs + best_gain - best)


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
        """`chunks` levelled (unchanged when off), as many as came in (fewer while a new
        voice's first second is held). The limiter's held-back end goes out with the chunk
        that ends the text (or as a small chunk of its own if none says so); then the
        calibration learns from the output (not when the stream is closed early: a cancelled
        or failed job)."""
        if not self.enabled:
            yield from chunks
            return
        known = self.calibration.get(self.key)
        gain: float | None = None
        held: list[AudioChunk] = []
        raw: list[np.ndarray] = []
        sent: list[np.ndarray] = []
        raw_samples = sent_samples = 0
        limiter: TruePeakLimiter | None = None
        last: AudioChunk | None = None
        for chunk in chunks:
            last = chunk
            if raw_samples < LEARN_SECONDS * chunk.sample_rate:
                raw.append(chunk.audio)
                raw_samples += chunk.audio.size
            if limiter is None:
                limiter = TruePeakLimiter(chunk.sample_rate, self.ceiling_db)
            final = chunk.chars_done >= chunk.chars_total
            if gain is None:
                held.append(chunk)
                if known is None and not final and sum(c.audio.size for c in held) < (
                        ESTIMATE_SECONDS * chunk.sample_rate):
                    continue
                chunk, gain = self._chosen(held, known, final)
                held = []
            out = limiter.process(chunk.audio * 10 ** (gain / 20))
            if final:  # the limiter's held-back end goes with the last chunk
                out = np.concatenate([out, limiter.flush()])
            if sent_samples < LEARN_SECONDS * chunk.sample_rate:
                sent.append(out)
                sent_samples += out.size
            if out.size:
                yield AudioChunk(out, chunk.sample_rate, chunk.chars_done, chunk.chars_total)
        if last is None or limiter is None:
            return
        if held:  # the stream ended before ESTIMATE_SECONDS without a final chunk
            chunk, gain = self._chosen(held, known, True)
            held = [replace(chunk, audio=limiter.process(chunk.audio * 10 ** (gain / 20)))]
        tail = np.concatenate([*(c.audio for c in held), limiter.flush()])
        sent.append(tail)
        if tail.size:  # only when the engine did not mark its last chunk
            yield AudioChunk(tail, last.sample_rate, last.chars_done, last.chars_total)
        self._learn(np.concatenate(raw), np.concatenate(sent)[:raw_samples], last.sample_rate,
                    gain or 0.0)

    def _chosen(self, held: list[AudioChunk], known: VoiceLoudness | None,
                final: bool) -> tuple[AudioChunk, float]:
        """The held chunks as one, and the stream's gain: fitted on them when they are the
        whole output or the voice is new (0 dB: silence); else the calibration's, moved
        towards what this first chunk measures by its share of PRIOR_SECONDS."""
        last = held[-1]
        rate = last.sample_rate
        audio = np.concatenate([c.audio for c in held]).astype(np.float32, copy=False)
        chunk = AudioChunk(audio, rate, last.chars_done, last.chars_total)
        if final or known is None:
            fit = fit_gain(audio, rate, self.target_lufs, self.ceiling_db)
            return chunk, 0.0 if fit is None else fit.gain_db
        gain = known.gain_db(self.target_lufs, self.ceiling_db)
        lufs = integrated_loudness(audio, rate)
        if lufs is not None:
            seconds = audio.size / rate
            gain += seconds / (seconds + PRIOR_SECONDS) * (known.lufs - lufs)
        return chunk, max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain))

    def _learn(self, raw: np.ndarray, sent: np.ndarray, sample_rate: int, gain: float) -> None:
        """Raw loudness, and what the limiter takes off at the gain that would have reached
        the target, into the calibration. The output as sent is one point; when it missed,
        the raw audio limited at the gain that corrects the miss is a second, and the secant
        through both gives the loss at the right gain (one limiter pass, not a search)."""
        lufs = integrated_loudness(raw, sample_rate)
        heard = integrated_loudness(sent, sample_rate)
        if lufs is None or heard is None:
            return
        best = gain + self.target_lufs - heard
        if abs(self.target_lufs - heard) > 0.1:
            again = integrated_loudness(
                limited(raw * 10 ** (best / 20), sample_rate, self.ceiling_db), sample_rate)
            if again is not None and abs(again - heard) > 0.01:
                slope = max(0.2, (again - heard) / (best - gain))
                best += (self.target_lufs - again) / slope
        loss = max(0.0, min(MAX_LOSS_DB, lufs + best - self.target_lufs))
        self.calibration.learn(self.key, VoiceLoudness(
            lufs, loss, self.target_lufs, self.ceiling_db, raw.size / sample_rate, 1))
