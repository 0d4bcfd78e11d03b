"""Small audio helpers shared by the analysis modules."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np


def resample(samples: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    """Mono float32 `samples` at `rate` -> mono float32 at `new_rate` (FFmpeg's resampler)."""
    data = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
    if rate == new_rate or not data.size:
        return data
    frame = av.AudioFrame.from_ndarray(data[np.newaxis, :], format="flt", layout="mono")
    frame.sample_rate = rate
    frame.time_base = Fraction(1, rate)
    frame.pts = 0
    resampler = av.AudioResampler(format="flt", layout="mono", rate=new_rate)
    parts = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)
