"""Voice reference uploads: what is accepted, how it is normalised, and what is refused."""

from __future__ import annotations

import io
import struct
from collections.abc import AsyncIterator
from typing import Any

import av
import numpy as np
import pyloudnorm
import pytest

from openspeakers.audio.encoding import decode, encode
from openspeakers.engines.base import InvalidRequestError
from openspeakers.voices import upload
from openspeakers.voices.multipart import read_form
from openspeakers.voices.refs import engine_voice_path, profile_ref, reference_path
from openspeakers.voices.upload import (
    UploadRejected,
    UploadTooLarge,
    VoiceLimits,
    decode_capped,
    process_reference,
    trim_silence,
)
from tests.audio_files import beckett_wav, long_mp3, tone, wav_of

LIMITS = VoiceLimits()


def test_a_human_recording_is_normalised() -> None:
    voice = process_reference(beckett_wav(), LIMITS)
    assert voice.sample_rate == 24000 and voice.samples.dtype == np.float32
    assert voice.samples.ndim == 1
    assert 8.0 < voice.duration < 10.5 and voice.source_format == "wav"
    loudness = pyloudnorm.Meter(24000).integrated_loudness(voice.samples.astype(np.float64))
    assert abs(loudness - LIMITS.loudness_lufs) < 1.0
    assert np.max(np.abs(voice.samples)) <= 10 ** (-1 / 20) + 1e-4


def test_stereo_48k_mp3_comes_out_mono_24k() -> None:
    clip = tone(5.0, 48000)
    data = encode(clip, 48000, "mp3")
    voice = process_reference(data, LIMITS)
    assert voice.sample_rate == 24000 and voice.source_format == "mp3"
    assert abs(voice.duration - 5.0) < 0.4


def test_silence_around_the_speech_is_trimmed() -> None:
    silence = np.zeros(2 * 24000, np.float32)
    noise = (np.random.default_rng(0).standard_normal(2 * 24000) * 1e-4).astype(np.float32)
    clip = np.concatenate([silence, noise, tone(4.0), noise, silence])
    trimmed = trim_silence(clip, 24000)
    assert 4.0 <= len(trimmed) / 24000 <= 4.4
    assert abs(process_reference(wav_of(clip), LIMITS).duration - len(trimmed) / 24000) < 0.05


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"RIFF this is plain text pretending to be a wav file\n" * 40, "not audio"),
    ("Ünïcödé text named voice.wav\n".encode() * 100, "not audio"),
    (b"PK\x03\x04" + bytes(4000), "not audio"),
    (b"#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n", "not audio"),
    (b"ffconcat version 1.0\nfile '/etc/passwd'\n", "not audio"),
    (wav_of(np.zeros(24000 * 5, np.float32)), "silent"),
    (wav_of(tone(1.5)), "at least 3 s"),
    (wav_of(tone(70.0)), "limit is 60 s"),
    (long_mp3(), "limit is 60 s"),
])
def test_bad_uploads_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(UploadRejected, match=message):
        process_reference(data, LIMITS)


def test_a_video_without_sound_is_refused() -> None:
    buf = io.BytesIO()
    with av.open(buf, "w", format="matroska") as container:
        stream = container.add_stream("ffv1", rate=5)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    with pytest.raises(UploadRejected, match="no audio stream"):
        process_reference(buf.getvalue(), LIMITS)


def test_a_lying_wav_header_gets_only_what_is_there() -> None:
    """A WAV whose header claims a 2 GB data chunk is read for the 4 s it really holds."""
    data = bytearray(wav_of(tone(4.0)))
    index = data.find(b"data")
    data[index + 4: index + 8] = struct.pack("<I", 2_000_000_000)
    assert abs(process_reference(bytes(data), LIMITS).duration - 4.0) < 0.1


class _CountingContainer:
    def __init__(self, inner: Any, counter: list[int]) -> None:
        self._inner, self._counter = inner, counter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> _CountingContainer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()

    def demux(self, *args: Any) -> Any:
        for packet in self._inner.demux(*args):
            self._counter[0] += 1
            yield packet


def test_a_two_hour_file_is_refused_after_decoding_only_the_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when the container says nothing about its length, decoding stops at the cap."""
    data = long_mp3(2.0)
    counter = [0]
    real_open = av.open
    monkeypatch.setattr(upload, "_declared_seconds", lambda *_: None)
    monkeypatch.setattr(upload.av, "open",
                        lambda *a, **k: _CountingContainer(real_open(*a, **k), counter))
    with pytest.raises(UploadRejected, match="longer than 60 s"):
        decode_capped(data, sample_rate=24000, max_seconds=60)
    packets_for_two_hours = 2 * 3600 * 8000 / 576  # 576-sample mp3 frames at 8 kHz
    assert 0 < counter[0] < packets_for_two_hours / 50


async def _chunks(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _body(file: bytes, **fields: str) -> tuple[list[bytes], str]:
    out = b""
    for name, value in fields.items():
        out += (f'--XX\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                .encode())
    out += (b'--XX\r\nContent-Disposition: form-data; name="file"; filename="../../v.wav"\r\n'
            b"Content-Type: audio/wav\r\n\r\n" + file + b"\r\n--XX--\r\n")
    return [out[i:i + 1000] for i in range(0, len(out), 1000)], "multipart/form-data; boundary=XX"


async def test_the_form_is_read_as_it_streams() -> None:
    chunks, content_type = _body(b"\x01" * 5000, name="Ada", tags="a, b", transcript="Hi.")
    form = await read_form(_chunks(chunks), content_type, None, max_file_bytes=10_000)
    assert (form.get("name"), form.get("tags"), form.get("transcript")) == ("Ada", "a, b", "Hi.")
    assert bytes(form.file) == b"\x01" * 5000 and form.filename == "../../v.wav"


async def test_an_oversized_body_is_refused_while_it_is_read() -> None:
    chunks, content_type = _body(b"\x01" * 50_000, name="Big")
    read: list[int] = []

    async def counted() -> AsyncIterator[bytes]:
        for chunk in chunks:
            read.append(len(chunk))
            yield chunk

    with pytest.raises(UploadTooLarge, match="larger than the limit"):
        await read_form(counted(), content_type, None, max_file_bytes=10_000)
    with pytest.raises(UploadTooLarge):  # a declared length over the limit: refused at once
        await read_form(_chunks([]), content_type, str(5 * 1024 * 1024), max_file_bytes=10_000)


async def test_a_body_that_is_not_multipart_is_refused() -> None:
    with pytest.raises(UploadRejected, match="multipart/form-data"):
        await read_form(_chunks([b"{}"]), "application/json", "2", max_file_bytes=10_000)


@pytest.mark.parametrize(("voice", "expected"), [
    (None, None), ("jf_alpha", None), ("a" * 32, "a" * 32),
    ("profile:" + "0123456789abcdef" * 2, "0123456789abcdef" * 2), ("A" * 32, None)])
def test_profile_references(voice: str | None, expected: str | None) -> None:
    assert profile_ref(voice) == expected


@pytest.mark.parametrize("voice", ["profile:../../etc/passwd", "profile:", "profile:abc",
                                   "profile:" + "A" * 32])
def test_malformed_profile_references_are_refused(voice: str) -> None:
    with pytest.raises(InvalidRequestError, match="32-hex"):
        profile_ref(voice)


def test_profile_files_stay_in_the_voices_directory(tmp_path: Any) -> None:
    assert reference_path(tmp_path, "f" * 32) == tmp_path / f"{'f' * 32}.wav"
    assert engine_voice_path(tmp_path, "f" * 32, "kokoro").parent == tmp_path
    for bad in ("../../etc/passwd", "f" * 31, "/etc/passwd"):
        with pytest.raises(ValueError):
            reference_path(tmp_path, bad)
    with pytest.raises(ValueError):
        engine_voice_path(tmp_path, "f" * 32, "../x")


def test_the_stored_reference_decodes_as_it_was_normalised() -> None:
    voice = process_reference(beckett_wav(), LIMITS)
    samples, rate = decode(encode(voice.samples, voice.sample_rate, "wav"))
    assert rate == 24000 and abs(len(samples) - len(voice.samples)) < 10
