"""The OpenAI speech API, driven by the real `openai` client against a running server."""

from __future__ import annotations

import base64
import json
import re

import httpx
import numpy as np
import openai
import pytest

from openspeakers.audio.encoding import encode
from tests.conftest import Server
from tests.helpers import (
    ESPEAK_TEXT,
    plausible_speech_seconds,
    probe,
    transcribe,
    word_error_rate,
)

TEXT = "The quick brown fox jumps over the lazy dog."
LONG = " ".join(f"This is sentence number {i} of a long streamed answer." for i in range(25))
FORMATS = {"mp3": ("mp3", 24000, "audio/mpeg"), "opus": ("opus", 48000, "audio/ogg"),
           "aac": ("aac", 24000, "audio/aac"), "flac": ("flac", 24000, "audio/flac"),
           "wav": ("pcm_s16le", 24000, "audio/wav")}


@pytest.fixture
def client(server: Server) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)


def job_of(http: httpx.Client, response: httpx.Response | openai._legacy_response.HttpxBinaryResponseContent) -> dict:  # noqa: E501
    return http.get(f"/api/tts/jobs/{response.headers['x-job-id']}").json()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_through_the_sdk(client: openai.OpenAI, http: httpx.Client, fmt: str) -> None:
    response = client.audio.speech.create(model="kokoro", voice="alloy", input=TEXT,
                                          response_format=fmt)  # type: ignore[arg-type]
    codec, rate, content_type = FORMATS[fmt]  # kokoro's 24 kHz (opus: 48 kHz)
    info = probe(response.content)
    assert (info["codec"], info["sample_rate"], info["channels"]) == (codec, rate, 1)
    low, high = plausible_speech_seconds(TEXT)
    assert low <= info["duration"] <= high
    assert response.response.headers["content-type"] == content_type
    job = job_of(http, response.response)
    assert job["model_id"] == "kokoro" and job["voice"] == "jf_alpha"
    assert job["status"] == "complete" and job["format"] == fmt


def test_pcm_is_24khz_s16le(client: openai.OpenAI) -> None:
    data = client.audio.speech.create(model="piper", voice="echo", input=TEXT,
                                      response_format="pcm").content
    samples = np.frombuffer(data, "<i2")
    low, high = plausible_speech_seconds(TEXT)
    assert low <= len(samples) / 24000 <= high
    assert np.abs(samples).max() > 3000, "not silence"


@pytest.mark.parametrize("model", ["tts-1", "tts-1-hd", "piper", "espeak"])
def test_transcript_matches_input(client: openai.OpenAI, http: httpx.Client, model: str) -> None:
    text = ESPEAK_TEXT if model == "espeak" else TEXT
    response = client.audio.speech.create(model=model, voice="onyx", input=text)
    assert word_error_rate(text, transcribe(response.content)) <= 0.2
    job = job_of(http, response.response)
    expected = {"tts-1": "piper", "tts-1-hd": "kokoro", "piper": "piper", "espeak": "espeak"}
    assert job["model_id"] == expected[model], (
        "without kokoro-torch, tts-1 is piper (fast) and tts-1-hd falls back to kokoro (ONNX)")
    if model == "tts-1-hd":
        assert job["voice"] == "jm_kumo", "onyx maps to kokoro's male voice"


def test_streaming_response_starts_before_the_job_ends(client: openai.OpenAI,
                                                       http: httpx.Client) -> None:
    with client.audio.speech.with_streaming_response.create(
            model="tts-1", voice="nova", input=LONG, response_format="mp3") as response:
        chunks = response.iter_bytes()
        first = next(chunks)
        assert first, "audio arrived"
        assert job_of(http, response.http_response)["status"] == "running"
        rest = b"".join(chunks)
    info = probe(first + rest)
    assert info["codec"] == "mp3" and info["duration"] > 20


async def test_async_client_streams_too(server: Server) -> None:
    client = openai.AsyncOpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    async with client.audio.speech.with_streaming_response.create(
            model="piper", voice="alloy", input=TEXT, response_format="flac") as response:
        data = b"".join([chunk async for chunk in response.iter_bytes()])
    assert probe(data)["codec"] == "flac"
    assert word_error_rate(TEXT, transcribe(data)) <= 0.2


def test_sse_events(server: Server) -> None:
    events = []
    spoken = TEXT + " And a second sentence."
    with httpx.stream("POST", f"{server.url}/v1/audio/speech", timeout=60, json={
            "model": "piper", "input": spoken, "voice": "alloy",
            "response_format": "mp3", "stream_format": "sse"}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "speech.audio.done" and set(kinds[:-1]) == {"speech.audio.delta"}
    assert len(kinds) >= 3, "at least one delta per sentence"
    audio = b"".join(base64.b64decode(e["audio"]) for e in events[:-1])
    assert probe(audio)["codec"] == "mp3"
    assert word_error_rate(spoken, transcribe(audio)) <= 0.2


def test_speed_native_and_by_tempo(client: openai.OpenAI) -> None:
    def seconds(speed: float) -> float:
        data = client.audio.speech.create(model="kokoro", voice="alloy", input=TEXT,
                                          response_format="wav", speed=speed).content
        return probe(data)["duration"]

    normal, native, tempo = seconds(1.0), seconds(1.5), seconds(3.0)
    assert native < 0.8 * normal, "kokoro's own speed"
    assert tempo < 0.45 * normal, "beyond kokoro's 2.0: pitch-preserving tempo change"


def test_instructions_are_accepted_and_kept(client: openai.OpenAI, http: httpx.Client) -> None:
    response = client.audio.speech.create(model="piper", voice="alloy", input=TEXT,
                                          instructions="Speak cheerfully.")
    assert job_of(http, response.response)["parameters"]["instructions"] == "Speak cheerfully."


@pytest.mark.parametrize(("body", "param"), [
    ({"model": "nope"}, "model"), ({"voice": "nobody"}, "voice"), ({"input": ""}, "input"),
    ({"input": "x" * 6001}, "input"), ({"response_format": "ogg"}, "response_format"),
    ({"speed": 5}, "speed"), ({"speed": 0.1}, "speed"), ({"stream_format": "ws"}, "stream_format"),
])
def test_bad_input_in_openai_error_shape(server: Server, http: httpx.Client, body: dict,
                                         param: str | None) -> None:
    before = http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]
    response = httpx.post(f"{server.url}/v1/audio/speech", timeout=30,
                          json={"model": "tts-1", "input": "hi", "voice": "alloy", **body})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"]
    assert error["param"] == param
    assert http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"] == before


def test_sdk_raises_bad_request(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="valid voices") as raised:
        client.audio.speech.create(model="kokoro", voice="nobody", input=TEXT)
    message = str(raised.value)
    assert "jf_alpha" in message and "jm_kumo" in message, "the engine's own voices"
    assert "alloy" in message and "cedar" in message, "and the OpenAI names that also work"


def test_disconnect_cancels_the_job(server: Server, http: httpx.Client) -> None:
    with httpx.stream("POST", f"{server.url}/v1/audio/speech", timeout=60, json={
            "model": "kokoro", "input": LONG, "voice": "alloy"}) as response:
        job_id = response.headers["x-job-id"]
        next(response.iter_bytes())
    job = server.wait_job(job_id, timeout=60)
    assert job["status"] == "cancelled"
    assert not list(server.audio_dir.glob(f"*{job_id}*"))
    assert http.get("/api/tts/jobs", params={"status": "running"}).json()["total"] == 0


def test_long_input_streams_in_order(server: Server, http: httpx.Client) -> None:
    sentences = [f"Item {i} talks about the number {i} and about nothing else at all."
                 for i in range(1, 81)]
    text = " ".join(sentences)
    assert len(text) > 5000
    with httpx.stream("POST", f"{server.url}/v1/audio/speech", timeout=300, json={
            "model": "piper", "input": text, "voice": "alloy",
            "response_format": "pcm"}) as response:
        job_id = response.headers["x-job-id"]
        data = b"".join(response.iter_bytes())
    job = server.wait_job(job_id)
    samples = np.frombuffer(data, "<i2").astype(np.float32) / 32768
    assert abs(len(samples) / 24000 - job["duration_seconds"]) < 0.05

    def heard(part: np.ndarray) -> str:
        return transcribe(encode(part, 24000, "wav")).lower()

    start, end = heard(samples[: 24000 * 12]), heard(samples[-24000 * 8:])
    assert re.search(r"\b1\b.*\b2\b.*\b3\b", start), start
    assert re.search(r"\b80\b", end) and not re.search(r"\b(1|2|3)\b", end), end


def test_listings_in_client_shapes(client: openai.OpenAI, http: httpx.Client) -> None:
    ids = [m.id for m in client.models.list().data]
    assert ids[:3] == ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"] and "piper" in ids
    audio_models = http.get("/v1/audio/models").json()["models"]
    assert {"id": "kokoro"} in audio_models and {"id": "orpheus"} not in audio_models
    voices = http.get("/v1/audio/voices", params={"model": "kokoro"}).json()["voices"]
    names = [v["id"] for v in voices]
    assert names[:13] == ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx",
                          "sage", "shimmer", "verse", "marin", "cedar"]
    assert "jm_kumo" in names and all(v["name"] for v in voices)
