"""Encoding to the OpenAI response formats, checked by decoding the bytes with PyAV."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import av
import numpy as np
import pytest

from openspeakers.audio.encoding import (
    CONTENT_TYPES,
    FORMATS,
    PCM_SAMPLE_RATE,
    AudioEncoder,
    decode,
    encode,
)

RATES = [22050, 24000]
# fmt -> (container format name, codec name) as PyAV reports them when decoding.
EXPECTED = {
    "mp3": ("mp3", "mp3"),
    "opus": ("ogg", "opus"),
    "aac": ("aac", "aac"),  # ADTS demuxer is called "aac"
    "flac": ("flac", "flac"),
    "wav": ("wav", "pcm_s16le"),
}
AAC_PRIMING = 1024  # ADTS cannot signal the encoder delay, so decoders output it as audio.


def sine(sample_rate: int, seconds: float = 1.5, freq: float = 440.0) -> np.ndarray:
    t = np.arange(round(sample_rate * seconds)) / sample_rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def expected_rate(fmt: str, sample_rate: int) -> int:
    return {"opus": 48000, "pcm": PCM_SAMPLE_RATE}.get(fmt, sample_rate)


def decoded_duration(fmt: str, samples: np.ndarray, rate: int) -> float:
    n = samples.size - (AAC_PRIMING if fmt == "aac" else 0)
    return n / rate


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / rate)[np.argmax(spectrum)])


def probe(data: bytes) -> tuple[str, str, int, int]:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        return container.format.name, ctx.codec.canonical_name, ctx.sample_rate, ctx.channels


class WriteOnlySink:
    """An HTTP-response-like sink: write() only."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, chunk: bytes) -> None:
        self.data += chunk


class NoSeekSink(WriteOnlySink):
    """Has seek/tell, but they fail (like a socket file) and there is no seekable()."""

    def seek(self, *args: object) -> int:
        raise OSError("not seekable")

    def tell(self) -> int:
        raise OSError("not seekable")


def test_format_tables() -> None:
    assert FORMATS == ("mp3", "opus", "aac", "flac", "wav", "pcm")
    assert CONTENT_TYPES == {
        "mp3": "audio/mpeg",
        "opus": "audio/ogg",
        "aac": "audio/aac",
        "flac": "audio/flac",
        "wav": "audio/wav",
        "pcm": "audio/pcm",
    }


@pytest.mark.parametrize("sample_rate", RATES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_encode_is_the_claimed_format(fmt: str, sample_rate: int) -> None:
    data = encode(sine(sample_rate), sample_rate, fmt)  # type: ignore[arg-type]
    if fmt == "pcm":
        assert abs(len(data) - 2 * 24000 * 1.5) <= 4  # raw s16le mono @ 24 kHz
        samples, rate = decode(data, "pcm")
        assert rate == 24000
    else:
        container_name, codec_name, rate, channels = probe(data)
        assert (container_name, codec_name) == EXPECTED[fmt]
        assert rate == expected_rate(fmt, sample_rate)
        assert channels == 1
        samples, decoded_rate = decode(data)
        assert decoded_rate == rate
    assert samples.dtype == np.float32
    assert abs(decoded_duration(fmt, samples, rate) - 1.5) <= 0.060
    assert dominant_frequency(samples, rate) == pytest.approx(440, abs=2)


def test_mp3_bitrate() -> None:
    data = encode(sine(24000), 24000, "mp3")
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.audio[0].codec_context.bit_rate == 128_000


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_lossless_roundtrip(fmt: str) -> None:
    x = sine(22050)
    y, rate = decode(encode(x, 22050, fmt))  # type: ignore[arg-type]
    assert rate == 22050 and y.size == x.size
    assert np.max(np.abs(y - x)) <= 1.5 / 32768


@pytest.mark.parametrize("sink_cls", [WriteOnlySink, NoSeekSink])
@pytest.mark.parametrize("fmt", FORMATS)
def test_streaming_into_non_seekable_sink(fmt: str, sink_cls: type[WriteOnlySink]) -> None:
    rate = 24000
    x = sine(rate)
    sink = sink_cls()
    with AudioEncoder(sink, fmt, rate) as encoder:  # type: ignore[arg-type]
        encoder.write(x[:rate])
        if fmt != "flac":  # flac buffers whole 4096-sample blocks, the rest stream per write
            assert len(sink.data) > 2000, "audio must reach the sink before close()"
        encoder.write(x[rate:])
    data = bytes(sink.data)
    samples, out_rate = decode(data, "pcm" if fmt == "pcm" else None)
    assert out_rate == expected_rate(fmt, rate)
    duration = decoded_duration(fmt, samples, out_rate)
    if fmt == "mp3":
        # Without seeking, the muxer cannot write the Xing/LAME tag that tells decoders to
        # trim encoder delay and padding, so up to ~2 frames of extra silence remain.
        assert 1.5 - 0.060 <= duration <= 1.5 + 2 * 1152 / rate
    else:
        assert abs(duration - 1.5) <= 0.060
    assert dominant_frequency(samples, out_rate) == pytest.approx(440, abs=2)
    if fmt != "pcm":
        assert probe(data)[:2] == EXPECTED[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_many_small_writes_equal_one_big_write(fmt: str) -> None:
    rate = 22050
    x = sine(rate, seconds=100 * 333 / rate)
    hint = "pcm" if fmt == "pcm" else None
    whole, _ = decode(encode(x, rate, fmt), hint)  # type: ignore[arg-type]
    buf = io.BytesIO()
    with AudioEncoder(buf, fmt, rate) as encoder:  # type: ignore[arg-type]
        for chunk in np.split(x, 100):
            encoder.write(chunk)
    chunked, out_rate = decode(buf.getvalue(), hint)
    assert chunked.size == whole.size
    assert abs(decoded_duration(fmt, chunked, out_rate) - x.size / rate) <= 0.060


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_headers_are_correct_for_a_real_file(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / f"out.{fmt}"
    with path.open("wb") as f, AudioEncoder(f, fmt, 24000) as encoder:  # type: ignore[arg-type]
        for chunk in np.split(sine(24000), 10):
            encoder.write(chunk)
    raw = path.read_bytes()
    if fmt == "wav":
        assert raw[:4] == b"RIFF" and struct.unpack("<I", raw[4:8])[0] == len(raw) - 8
        pos = 12
        while raw[pos : pos + 4] != b"data":  # skip fmt/LIST chunks
            pos += 8 + struct.unpack("<I", raw[pos + 4 : pos + 8])[0]
        assert struct.unpack("<I", raw[pos + 4 : pos + 8])[0] == 36000 * 2
    else:
        streaminfo = raw[8:42]
        total_samples = int.from_bytes(streaminfo[13:18], "big") & ((1 << 36) - 1)
        assert total_samples == 36000
        assert streaminfo[18:34] != bytes(16)  # MD5 signature filled in
    samples, rate = decode(path)
    assert rate == 24000 and samples.size == 36000


def test_samples_are_clipped_and_float64_accepted() -> None:
    loud = 2.0 * np.sin(2 * np.pi * 440 * np.arange(2400) / 24000)  # float64, beyond [-1, 1]
    y, _ = decode(encode(loud, 24000, "wav"))
    assert np.max(y) == pytest.approx(32767 / 32768) and np.min(y) == -1.0
    assert np.all(np.sign(y[np.abs(loud) > 1.5]) == np.sign(loud[np.abs(loud) > 1.5]))  # no wrap


def test_encoder_lifecycle_and_sink_ownership() -> None:
    buf = io.BytesIO()
    encoder = AudioEncoder(buf, "mp3", 24000)
    encoder.write(np.zeros(0, np.float32))  # empty writes are fine
    encoder.write(sine(24000, 0.2))
    encoder.close()
    encoder.close()  # idempotent
    assert not buf.closed  # PyAV would close it; the caller owns the sink
    with pytest.raises(ValueError, match="closed"):
        encoder.write(sine(24000, 0.1))
    with pytest.raises(ValueError, match="unsupported"):
        AudioEncoder(io.BytesIO(), "ogg", 24000)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["mp3", "wav", "pcm"])
def test_sink_errors_propagate_unchanged(fmt: str) -> None:
    class GoneClient:
        def write(self, chunk: bytes) -> None:
            raise BrokenPipeError("client disconnected")

    with pytest.raises(BrokenPipeError), AudioEncoder(GoneClient(), fmt, 24000) as enc:  # type: ignore[arg-type]
        enc.write(sine(24000, 1.0))


@pytest.mark.parametrize("fmt", ["mp3", "opus", "pcm"])
def test_close_from_another_thread_while_writing_is_safe(fmt: str) -> None:
    """A streaming client that goes away has its encoder closed from another thread while a
    write may still run (the server crashed in libavfilter before writes and close were
    serialised): every write either completes or finds the encoder closed."""
    import threading

    tone = (0.3 * np.sin(np.linspace(0, 2000 * np.pi, 24000))).astype(np.float32)
    for _ in range(30):
        sink = io.BytesIO()
        encoder = AudioEncoder(sink, fmt, 24000)  # type: ignore[arg-type]
        refused: list[Exception] = []

        def writer(encoder: AudioEncoder = encoder, refused: list[Exception] = refused) -> None:
            for _ in range(20):
                try:
                    encoder.write(tone[:6000])
                except ValueError as closed:  # "AudioEncoder is closed"
                    refused.append(closed)
                    return

        thread = threading.Thread(target=writer)
        thread.start()
        encoder.close()
        thread.join()
        encoder.close()  # idempotent
        assert all("closed" in str(refusal) for refusal in refused)
        assert sink.getvalue()  # the header, and whatever was written before the close
