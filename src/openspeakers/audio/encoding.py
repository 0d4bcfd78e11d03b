"""Incremental encoding of float32 mono audio into the OpenAI ``response_format`` formats.

Everything goes through PyAV. Two PyAV behaviours shape this module:

* PyAV treats a Python file object as *seekable* only if it has ``seek`` and ``tell`` and
  ``seekable()`` (when present) returns True; it then seeks to patch headers on close
  (wav/flac sizes, mp3 Xing/LAME gapless tag). It also calls ``close()`` on the object
  when the container closes. We therefore hand PyAV a small adapter that exposes only
  ``write`` (plus ``seek``/``tell``/``seekable`` when the real sink reports
  ``seekable() is True``) and never closes the caller's sink. A sink that only has
  ``write`` is enough: mp3/opus/aac stream fine, wav/flac keep placeholder sizes.
* Fixed-frame codecs (mp3 1152, aac 1024, opus 960 samples) reject odd-sized frames, so
  our resampler re-chunks to the codec's ``frame_size`` and we stamp monotonic pts.

Known codec facts callers see: ADTS cannot signal AAC's 1024-sample encoder priming, and an
mp3 written without seeking lacks the LAME gapless tag, so decoders play ~45-70 ms of extra
leading silence in those two cases. Empty mp3/opus/aac output is not decodable by FFmpeg.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, get_args

import av
import numpy as np

AudioFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
FORMATS: tuple[str, ...] = get_args(AudioFormat)

CONTENT_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}

#: "pcm" is raw s16le mono at this rate, which is what OpenAI clients assume.
PCM_SAMPLE_RATE = 24000
#: libopus only accepts 8/12/16/24/48 kHz; 48 kHz is the Ogg Opus reference rate.
OPUS_SAMPLE_RATE = 48000

# fmt -> (container format, codec, codec sample format, fixed output rate or None)
_SPECS: dict[str, tuple[str, str, str, int | None]] = {
    "mp3": ("mp3", "libmp3lame", "fltp", None),
    "opus": ("ogg", "libopus", "flt", OPUS_SAMPLE_RATE),
    "aac": ("adts", "aac", "fltp", None),
    "flac": ("flac", "flac", "s16", None),
    "wav": ("wav", "pcm_s16le", "s16", None),
}


class _SinkAdapter:
    """File-like view of ``sink`` for PyAV: hides close(), and seek() unless truly seekable."""

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink
        self.error: BaseException | None = None  # what the sink raised, if anything
        probe = getattr(sink, "seekable", None)
        try:
            self._seekable = bool(probe()) if callable(probe) else False
        except Exception:  # any failure means "not seekable"
            self._seekable = False
        if self._seekable:
            self.seek = sink.seek
            self.tell = sink.tell

    def write(self, data: bytes) -> int:
        try:
            self._sink.write(data)
        except BaseException as exc:  # PyAV would replace it with an opaque PyAVCallbackError
            self.error = exc
            raise
        return len(data)

    def seekable(self) -> bool:
        return self._seekable


class AudioEncoder:
    """Encode float32 mono chunks into ``fmt`` as they arrive, writing to ``sink``."""

    def __init__(self, sink: BinaryIO, fmt: AudioFormat, sample_rate: int) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unsupported audio format {fmt!r}")
        self.fmt = fmt
        self.sample_rate = sample_rate
        self._sink = sink
        self._in_samples = 0
        self._out_samples = 0
        self._closed = False
        self._lock = threading.RLock()
        """write and close never run at once: a streaming client that goes away has its
        encoder closed from another thread while a write may still be running, and PyAV's
        resampler (a libavfilter graph) crashes the process when freed mid-use."""
        self._container: Any = None
        self._adapter: _SinkAdapter | None = None
        if fmt == "pcm":
            self.out_rate = PCM_SAMPLE_RATE
            self._resampler = av.AudioResampler(format="s16", layout="mono", rate=self.out_rate)
            return
        container_fmt, codec, sample_fmt, fixed_rate = _SPECS[fmt]
        self.out_rate = fixed_rate or sample_rate
        # Low streaming latency: push each packet to the sink at once; Ogg otherwise holds
        # back pages for seconds (page_duration is in microseconds).
        options = {"page_duration": "100000"} if container_fmt == "ogg" else {"flush_packets": "1"}
        self._adapter = _SinkAdapter(sink)
        self._container = av.open(self._adapter, "w", format=container_fmt, options=options)
        self._stream = self._container.add_stream(codec, rate=self.out_rate, layout="mono")
        ctx = self._stream.codec_context
        ctx.format = sample_fmt
        if fmt == "mp3":
            ctx.bit_rate = 128_000
        # Opens the codec (frame_size is only known then; 0 = any size) and writes the header
        # now rather than on the first packet.
        self._container.start_encoding()
        self._resampler = av.AudioResampler(
            format=sample_fmt, layout="mono", rate=self.out_rate, frame_size=ctx.frame_size or None
        )

    def write(self, samples: np.ndarray) -> None:
        """Encode ``samples`` (float32 mono in [-1, 1], clipped, at ``sample_rate``)."""
        with self._lock:
            self._write(samples)

    def _write(self, samples: np.ndarray) -> None:
        if self._closed:
            raise ValueError("AudioEncoder is closed")
        data = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
        if data.size == 0:
            return
        frame = av.AudioFrame.from_ndarray(data[np.newaxis, :], format="flt", layout="mono")
        frame.sample_rate = self.sample_rate
        frame.time_base = Fraction(1, self.sample_rate)
        frame.pts = self._in_samples
        self._in_samples += data.size
        self._emit(self._resampler.resample(frame))

    def close(self) -> None:
        """Flush resampler and encoder, and finalise the container (idempotent)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._emit([*self._resampler.resample(None), None])  # None flushes the encoder
        self._closed = True
        if self._container is not None:
            with self._guard():
                self._container.close()  # writes the trailer (patches headers if seekable)

    def _emit(self, frames: list[av.AudioFrame | None]) -> None:
        with self._guard():
            for frame in frames:
                if self._container is None:
                    if frame is not None:
                        self._sink.write(frame.to_ndarray().astype("<i2").tobytes())
                    continue
                if frame is not None:
                    # Re-stamp pts in output samples: monotonic whatever the resampler did.
                    frame.pts = self._out_samples
                    frame.time_base = Fraction(1, self.out_rate)
                    self._out_samples += frame.samples
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """On any failure the stream is dead (e.g. client gone): stop encoding, re-raise."""
        try:
            yield
        except BaseException as exc:
            self._closed = True
            sink_error = self._adapter.error if self._adapter else None
            if sink_error is not None and sink_error is not exc:
                raise sink_error from exc  # PyAV wraps it in an opaque PyAVCallbackError
            raise

    def __enter__(self) -> AudioEncoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def encode(samples: np.ndarray, sample_rate: int, fmt: AudioFormat) -> bytes:
    """Encode a whole clip in memory and return the bytes."""
    buf = io.BytesIO()
    with AudioEncoder(buf, fmt, sample_rate) as encoder:
        encoder.write(samples)
    return buf.getvalue()


def decode(data: bytes | Path, fmt: AudioFormat | None = None) -> tuple[np.ndarray, int]:
    """Decode any supported format to ``(float32 mono samples, sample_rate)``.

    Raw "pcm" has no header, so it must be announced with ``fmt="pcm"`` (s16le, 24 kHz).
    """
    if fmt == "pcm":
        raw = data.read_bytes() if isinstance(data, Path) else data
        pcm = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        return pcm, PCM_SAMPLE_RATE
    source: Any = str(data) if isinstance(data, Path) else io.BytesIO(data)
    with av.open(source, "r") as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = [
            out.to_ndarray().reshape(-1)
            for frame in container.decode(stream)
            for out in resampler.resample(frame)
        ]
        chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    return samples.astype(np.float32, copy=False), rate
