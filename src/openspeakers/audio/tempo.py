"""Pitch-preserving tempo change (FFmpeg's atempo through PyAV), for speeds an engine lacks."""

from __future__ import annotations

import av
import numpy as np

_ATEMPO_MIN, _ATEMPO_MAX = 0.5, 2.0
"""Each atempo stage stays in this range (best quality); larger factors chain stages."""


def _stages(factor: float) -> list[float]:
    stages: list[float] = []
    while factor > _ATEMPO_MAX:
        stages.append(_ATEMPO_MAX)
        factor /= _ATEMPO_MAX
    while factor < _ATEMPO_MIN:
        stages.append(_ATEMPO_MIN)
        factor /= _ATEMPO_MIN
    return [*stages, factor]


def change_tempo(samples: np.ndarray, sample_rate: int, factor: float) -> np.ndarray:
    """Play `samples` `factor` times faster without changing the pitch."""
    if factor == 1.0 or len(samples) == 0:
        return samples
    graph = av.filter.Graph()
    source = graph.add_abuffer(format="flt", sample_rate=sample_rate, layout="mono",
                               time_base=f"1/{sample_rate}")
    node = source
    for stage in _stages(factor):
        tempo = graph.add("atempo", f"{stage:.6f}")
        node.link_to(tempo)
        node = tempo
    sink = graph.add("abuffersink")
    node.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32)[None, :],
                                       format="flt", layout="mono")
    frame.sample_rate, frame.pts = sample_rate, 0
    graph.push(frame)
    graph.push(None)
    out: list[np.ndarray] = []
    while True:
        try:
            out.append(graph.pull().to_ndarray().reshape(-1))
        except (av.BlockingIOError, av.EOFError):
            break
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)
