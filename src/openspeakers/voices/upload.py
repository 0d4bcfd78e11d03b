"""A voice reference upload, made safe: decoded with a cap, checked, then normalised.

Nothing here writes anything. `decode_capped` refuses what is not audio (only audio demuxers
are allowed to probe the bytes, so a playlist or concat file can never make FFmpeg open another
file or URL) and stops decoding as soon as the sound is longer than the limit, whatever the
container claims, so a small file that expands to hours of audio costs no more than the limit.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass

import av
import numpy as np

from openspeakers.engines.base import InvalidRequestError

log = logging.getLogger(__name__)

AUDIO_DEMUXERS = ("wav", "w64", "mp3", "ogg", "flac", "aac", "mov", "matroska", "aiff", "caf",
                  "amr", "au", "wv", "asf", "opus")
"""FFmpeg demuxers allowed to read an upload (no playlists, no concat, no images, no text)."""
MAX_BAD_PACKETS = 100
"""Damaged packets skipped before the rest of the file is given up on."""
TRIM_SLACK_S = 15.0
"""Decoding may run this far past VOICE_MAX_SECONDS, for silence that trimming will remove."""


class UploadRejected(InvalidRequestError):
    """The upload is not a usable voice reference; the message says why (400)."""


class UploadTooLarge(UploadRejected):
    """The body is over VOICE_MAX_UPLOAD_BYTES (413)."""


@dataclass(frozen=True)
class VoiceLimits:
    min_seconds: float = 3.0
    max_seconds: float = 60.0
    sample_rate: int = 24_000
    loudness_lufs: float = -20.0


@dataclass(frozen=True)
class ProcessedVoice:
    samples: np.ndarray
    """Mono float32 at `sample_rate`: trimmed and loudness-normalised."""
    sample_rate: int
    source_format: str
    source_seconds: float
    loudness_lufs: float | None

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def decode_capped(data: bytes, *, sample_rate: int, max_seconds: float) -> tuple[np.ndarray, str]:
    """(mono float32 samples at `sample_rate`, container format), or `UploadRejected`.

    Decoding stops once more than `max_seconds` of audio has come out.
    """
    if not data:
        raise UploadRejected("the file is empty")
    try:
        container = av.open(io.BytesIO(data), "r",
                            options={"format_whitelist": ",".join(AUDIO_DEMUXERS)})
    except (av.FFmpegError, ValueError, OSError):
        raise UploadRejected("the file is not audio that can be decoded "
                             "(wav, mp3, ogg/opus, flac, m4a, webm...)") from None
    with container:
        if not container.streams.audio:
            raise UploadRejected("the file has no audio stream")
        stream = container.streams.audio[0]
        declared = _declared_seconds(container, stream)
        if declared is not None and declared > max_seconds + TRIM_SLACK_S:
            raise UploadRejected(f"the recording is {declared:.0f} s long; "
                                 f"the limit is {max_seconds:g} s")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        cap = int((max_seconds + TRIM_SLACK_S) * sample_rate)
        chunks: list[np.ndarray] = []
        total = errors = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.FFmpegError:  # a damaged packet: skip it, as players do
                    errors += 1
                    if errors > MAX_BAD_PACKETS:
                        break
                    continue
                for frame in frames:
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1))
                        total += out.samples
                if total > cap:
                    raise UploadRejected(f"the recording is longer than {max_seconds:g} s "
                                         "(the limit)")
            chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
        except av.FFmpegError as exc:
            if not chunks:
                raise UploadRejected(f"the audio could not be decoded: {exc}") from None
            log.info("upload decoded up to an error (%s); keeping what came before", exc)
        if errors:
            log.info("skipped %d damaged packets of an upload", errors)
        fmt = container.format.name.split(",")[0]
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    if not samples.size:
        raise UploadRejected("the file contains no audio")
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=0.0, neginf=0.0)
    return samples.astype(np.float32, copy=False), fmt


def _declared_seconds(container: av.container.InputContainer,
                      stream: av.audio.stream.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def trim_silence(samples: np.ndarray, sample_rate: int, *, floor_db: float = -50.0,
                 relative_db: float = -40.0, frame_ms: float = 20.0,
                 pad_ms: float = 150.0) -> np.ndarray:
    """Cut leading and trailing silence (frames quieter than the floor, or 40 dB under the
    loudest frame), keeping `pad_ms` around the sound."""
    n = max(1, int(sample_rate * frame_ms / 1000))
    frames = len(samples) // n
    if frames == 0:
        return samples[:0]
    blocks = samples[: frames * n].astype(np.float64).reshape(frames, n)
    level = 10 * np.log10(np.mean(blocks**2, axis=1) + 1e-20)
    loud = np.nonzero(level > max(floor_db, level.max() + relative_db))[0]
    if not loud.size:
        return samples[:0]
    pad = int(sample_rate * pad_ms / 1000)
    start = max(0, int(loud[0]) * n - pad)
    end = min(len(samples), (int(loud[-1]) + 1) * n + pad)
    return samples[start:end]


def normalise_loudness(samples: np.ndarray, sample_rate: int,
                       target_lufs: float) -> tuple[np.ndarray, float | None]:
    """Scale to `target_lufs` integrated loudness (pyloudnorm), peaks kept under -1 dBFS."""
    import pyloudnorm

    measured: float | None = None
    out = samples.astype(np.float64)
    try:
        measured = float(pyloudnorm.Meter(sample_rate).integrated_loudness(out))
    except ValueError:  # shorter than one 400 ms block
        measured = None
    if measured is not None and math.isfinite(measured):
        out = out * 10 ** ((target_lufs - measured) / 20)
    else:
        measured = None
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    ceiling = 10 ** (-1 / 20)
    if peak > ceiling:
        out = out * (ceiling / peak)
    return out.astype(np.float32), measured


def process_reference(data: bytes, limits: VoiceLimits) -> ProcessedVoice:
    """Decode (capped), trim, check the duration, normalise: a reference ready to store."""
    decoded, fmt = decode_capped(data, sample_rate=limits.sample_rate,
                                 max_seconds=limits.max_seconds)
    source_seconds = len(decoded) / limits.sample_rate
    peak = float(np.max(np.abs(decoded)))
    if peak < 1e-4:
        raise UploadRejected("the recording is silent")
    trimmed = trim_silence(decoded, limits.sample_rate)
    seconds = len(trimmed) / limits.sample_rate
    if seconds < limits.min_seconds:
        raise UploadRejected(f"the recording has {seconds:.1f} s of sound; at least "
                             f"{limits.min_seconds:g} s is needed")
    if seconds > limits.max_seconds:
        raise UploadRejected(f"the recording has {seconds:.1f} s of sound; the limit is "
                             f"{limits.max_seconds:g} s")
    samples, measured = normalise_loudness(trimmed, limits.sample_rate, limits.loudness_lufs)
    return ProcessedVoice(samples, limits.sample_rate, fmt, source_seconds, measured)
