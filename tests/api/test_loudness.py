"""Every engine and voice at one loudness, measured on the decoded output (pyloudnorm)."""

from __future__ import annotations

import io
import json

import httpx
import numpy as np
import pytest

from openspeakers.audio.encoding import decode
from openspeakers.audio.limiter import true_peak_db
from openspeakers.audio.loudness import integrated_loudness
from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.registry import load_registry
from openspeakers.runtime import Runtime
from tests.conftest import Server
from tests.helpers import ESPEAK_TEXT

TARGET, CEILING = -16.0, -1.5
VOICES = [("piper", "joe"), ("kokoro", "jf_alpha"), ("kokoro", "jm_kumo"),
          ("kokoro", "jf_nezumi"), ("espeak", "en-us"), ("espeak", "en-gb")]
TEXTS = ("The quick brown fox jumps over the lazy dog. It was not amused.",
         "Please open the window and let the fresh air in. The room is far too warm.",
         "Your meeting with the design team has been moved to Thursday afternoon.")


def generate(server: Server, http: httpx.Client, **body: object) -> tuple[dict, np.ndarray, int]:
    response = http.post("/api/tts/generate", json={"format": "wav", **body})
    assert response.status_code == 202, response.text
    job = server.wait_job(response.json()["id"])
    assert job["status"] == "complete", job
    samples, rate = decode(http.get(job["audio_url"]).content, "wav")
    return job, samples, rate


def level(samples: np.ndarray, rate: int) -> float:
    lufs = integrated_loudness(samples, rate)
    assert lufs is not None
    return lufs


@pytest.fixture(scope="module")
def levels(server: Server) -> dict[tuple[str, str, int], tuple[float, float]]:
    """(model, voice, text) -> (integrated loudness, true peak) of the server's output: the
    first text of a voice levelled from its first second (or an earlier test's calibration),
    the second from the calibration the first left and its first sentence, the third (one
    sentence) fitted whole."""
    found = {}
    with server.client() as http:
        for model_id, voice in VOICES:
            for index, text in enumerate(TEXTS):
                _, samples, rate = generate(server, http, model_id=model_id, voice=voice,
                                            text=text)
                found[model_id, voice, index] = (level(samples, rate), true_peak_db(samples))
    return found


def test_every_output_is_at_the_target(levels: dict) -> None:
    off = {key: round(lufs - TARGET, 2) for key, (lufs, _) in levels.items()
           if abs(lufs - TARGET) > 1.0}
    assert off == {}


def test_no_true_peak_over_the_ceiling(levels: dict) -> None:
    over = {key: round(peak, 2) for key, (_, peak) in levels.items() if peak > CEILING}
    assert over == {}


def test_engines_and_voices_sound_equally_loud(levels: dict) -> None:
    """The spread of the voices' loudness (each voice's mean over the texts) is at most 1 LU;
    single outputs vary a little more with their text (each stays within 1 LU of target)."""
    means = [float(np.mean([levels[model_id, voice, index][0] for index in range(len(TEXTS))]))
             for model_id, voice in VOICES]
    assert max(means) - min(means) <= 1.0, {key: round(v[0], 2) for key, v in levels.items()}


def test_calibration_is_kept_in_the_data_dir(server: Server, levels: dict) -> None:
    voices = json.loads((server.root / "data" / "loudness.json").read_text())["voices"]
    for model_id, voice in VOICES:
        entry = voices[f"{model_id}/{voice}"]
        assert entry["outputs"] >= len(TEXTS) and entry["target_lufs"] == TARGET


def engine_own(model_id: str, voice: str, text: str) -> tuple[np.ndarray, int]:
    """What the engine makes of `text`, in this process, without the server."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    engine = load_registry(settings.models_config, Runtime(settings)).get(model_id).create()
    engine.load("cpu")
    try:
        chunks = list(engine.stream_generate(GenerateRequest(text=text, voice=voice)))
    finally:
        engine.unload()
    return np.concatenate([c.audio for c in chunks]), chunks[0].sample_rate


def test_switched_off_the_output_is_the_engine_own_level(server: Server,
                                                          http: httpx.Client) -> None:
    job, samples, rate = generate(server, http, model_id="espeak", voice="en-us",
                                  text=ESPEAK_TEXT, normalize_loudness=False)
    assert job["parameters"]["normalize_loudness"] is False
    own, own_rate = engine_own("espeak", "en-us", ESPEAK_TEXT)  # a few samples may differ
    assert rate == own_rate
    assert abs(level(samples, rate) - level(own, rate)) < 0.3
    assert abs(true_peak_db(samples) - true_peak_db(own)) < 0.3
    assert abs(level(samples, rate) - TARGET) > 2  # so levelling does change it
    _, levelled, _ = generate(server, http, model_id="espeak", voice="en-us", text=ESPEAK_TEXT)
    assert abs(level(levelled, rate) - TARGET) <= 1.0


def pcm_level(http: httpx.Client, **extra: object) -> float:
    response = http.post("/v1/audio/speech", json={
        "model": "espeak", "voice": "alloy", "input": ESPEAK_TEXT, "response_format": "pcm",
        **extra})
    assert response.status_code == 200, response.text
    samples = np.frombuffer(io.BytesIO(response.content).read(), "<i2") / 32768.0
    return level(samples, 24000)


def test_openai_endpoint_levels_and_takes_the_off_switch(http: httpx.Client) -> None:
    own, rate = engine_own("espeak", "en-us", ESPEAK_TEXT)
    assert abs(pcm_level(http) - TARGET) <= 1.0
    assert abs(pcm_level(http, normalize_loudness=False) - level(own, rate)) < 0.3
