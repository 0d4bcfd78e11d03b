"""Generate over HTTP with the real engines; check what a listener would."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Server
from tests.helpers import (
    ESPEAK_TEXT,
    plausible_speech_seconds,
    probe,
    transcribe,
    word_error_rate,
)

TEXT = "The quick brown fox jumps over the lazy dog."
EXPECTED = {  # format -> (container, codec, sample rate for a 22.05 kHz engine)
    "mp3": ("mp3", "mp3", 22050),
    "opus": ("ogg", "opus", 48000),
    "aac": ("aac", "aac", 22050),
    "flac": ("flac", "flac", 22050),
    "wav": ("wav", "pcm_s16le", 22050),
}


def generate(server: Server, http: httpx.Client, **body: object) -> tuple[dict, bytes]:
    response = http.post("/api/tts/generate", json={"text": TEXT, **body})  # body may set text
    assert response.status_code == 202, response.text
    job = server.wait_job(response.json()["id"])
    assert job["status"] == "complete", job
    audio = http.get(job["audio_url"])
    assert audio.status_code == 200
    return job, audio.content


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_each_format_is_really_that_format(server: Server, http: httpx.Client, fmt: str) -> None:
    job, data = generate(server, http, model_id="piper", format=fmt)
    container, codec, rate = EXPECTED[fmt]
    info = probe(data)
    assert (info["container"].split(",")[0], info["codec"], info["sample_rate"]) == (
        container, codec, rate)
    assert info["channels"] == 1
    low, high = plausible_speech_seconds(TEXT)
    assert low <= info["duration"] <= high
    assert abs(info["duration"] - job["duration_seconds"]) < 0.15
    audio = http.get(job["audio_url"])
    assert audio.headers["content-type"].startswith(
        {"mp3": "audio/mpeg", "opus": "audio/ogg", "aac": "audio/aac", "flac": "audio/flac",
         "wav": "audio/wav"}[fmt])


def test_pcm_is_raw_16bit_mono_at_24khz(server: Server, http: httpx.Client) -> None:
    job, data = generate(server, http, model_id="piper", format="pcm")
    assert len(data) % 2 == 0
    assert abs(len(data) / 2 / 24000 - job["duration_seconds"]) < 0.05


@pytest.mark.parametrize(("model_id", "voice"), [("piper", "joe"), ("kokoro", "jf_alpha"),
                                                 ("kokoro", "jm_kumo"), ("espeak", "en-us")])
def test_transcript_matches_the_text(server: Server, http: httpx.Client, model_id: str,
                                     voice: str) -> None:
    text = ESPEAK_TEXT if model_id == "espeak" else TEXT
    job, data = generate(server, http, model_id=model_id, voice=voice, format="wav", text=text)
    assert job["model_id"] == model_id and job["voice"] == voice
    assert job["sample_rate"] == probe(data)["sample_rate"]
    assert word_error_rate(text, transcribe(data)) <= 0.2


def test_default_model_is_piper(server: Server, http: httpx.Client) -> None:
    job, _ = generate(server, http, format="wav")
    assert job["model_id"] == "piper" and job["voice"] == "joe"


def test_speed_shortens_the_audio(server: Server, http: httpx.Client) -> None:
    normal, _ = generate(server, http, model_id="kokoro", format="wav")
    fast, _ = generate(server, http, model_id="kokoro", format="wav", speed=1.8)
    assert fast["duration_seconds"] < 0.75 * normal["duration_seconds"]


def test_long_text_is_generated_in_order(server: Server, http: httpx.Client) -> None:
    sentences = ["First comes the apple.", "Second comes the banana.",
                 "Third comes the cherry.", "Fourth comes the date."]
    text = " ".join(sentences)
    response = http.post("/api/tts/generate", json={"text": text, "format": "flac"})
    job = server.wait_job(response.json()["id"])
    heard = transcribe(http.get(job["audio_url"]).content).lower()
    positions = [heard.find(word) for word in ("apple", "banana", "cherry", "date")]
    assert -1 not in positions and positions == sorted(positions), heard


def test_audio_supports_range_requests(server: Server, http: httpx.Client) -> None:
    job, data = generate(server, http, model_id="piper", format="wav")
    part = http.get(job["audio_url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.content == data[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(data)}"
