"""Audio files for upload tests, made on the spot (a real human recording ships in a package)."""

from __future__ import annotations

import importlib.resources
import io
from fractions import Fraction
from functools import lru_cache

import av
import numpy as np

from openspeakers.audio.encoding import encode


@lru_cache(maxsize=1)
def beckett_wav() -> bytes:
    """A real human voice: ~10 s of Samuel Beckett read aloud (16 kHz mono WAV), shipped by
    `useful-moonshine-onnx` (the test extra)."""
    return (importlib.resources.files("moonshine_onnx") / "assets" / "beckett.wav").read_bytes()


BECKETT_TEXT = "Ever tried. Ever failed. No matter. Try again. Fail again. Fail better."


def tone(seconds: float, rate: int = 24000, freq: float = 220.0,
         amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    # a little vibrato and harmonics, so it is not a pure sine
    return (amplitude * np.sin(2 * np.pi * freq * t + 2 * np.sin(2 * np.pi * 5 * t))
            * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t) ** 2)).astype(np.float32)


def wav_of(samples: np.ndarray, rate: int = 24000) -> bytes:
    return encode(samples, rate, "wav")


def long_mp3(hours: float = 2.0) -> bytes:
    """An mp3 `hours` long in a few MB: one second of 8 kHz, 8 kbit/s frames, repeated."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp3",
                 options={"write_xing": "0", "id3v2_version": "0"}) as container:
        stream = container.add_stream("libmp3lame", rate=8000, layout="mono")
        stream.codec_context.bit_rate = 8000
        ctx = stream.codec_context
        ctx.format = "s16p"
        samples = (tone(1.0, 8000) * 32767).astype(np.int16)[np.newaxis, :]
        frame = av.AudioFrame.from_ndarray(samples, format="s16p", layout="mono")
        frame.sample_rate = 8000
        frame.time_base = Fraction(1, 8000)
        frame.pts = 0
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    # bare CBR frames (no ID3 tag, no Xing header) repeat into one valid stream
    return buf.getvalue() * int(hours * 3600)
