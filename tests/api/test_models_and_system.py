"""Models, voices and system endpoints, and the OpenAPI docs."""

from __future__ import annotations

import time

import httpx

from tests.conftest import Server

REGISTRY_IDS = ["kokoro", "kokoro-torch", "vibevoice", "vibevoice-1.5b", "fish-speech",
                "qwen3-tts", "orpheus", "dia", "f5-tts", "chatterbox", "cosyvoice", "parler",
                "piper", "espeak"]


def test_every_engine_is_listed_with_availability(http: httpx.Client) -> None:
    models = {m["id"]: m for m in http.get("/api/models").json()}
    assert list(models) == REGISTRY_IDS
    for model_id in ("piper", "kokoro", "espeak"):
        assert models[model_id]["available"] and models[model_id]["unavailable_reason"] is None
    orpheus = models["orpheus"]
    assert not orpheus["available"]
    assert "openspeakers[orpheus]" in orpheus["unavailable_reason"]
    assert "canopylabs/orpheus-3b-0.1-ft" in orpheus["unavailable_reason"]
    assert "CUDA" in orpheus["unavailable_reason"]
    assert models["kokoro"]["standby"]
    # standby models load after the first job, or STANDBY_PRELOAD_DELAY (10 s) after start-up
    deadline = time.monotonic() + 120
    while not models["kokoro"]["state"]["loaded"] and time.monotonic() < deadline:
        time.sleep(0.5)
        models["kokoro"] = http.get("/api/models/kokoro").json()
    assert models["kokoro"]["state"]["loaded"]
    assert "pitch" in models["espeak"]["capabilities"]
    torch_kokoro = models["kokoro-torch"]  # listed with every stock voice, runnable on the CPU
    assert "hexgrad/Kokoro-82M" in torch_kokoro["unavailable_reason"]
    assert "CUDA" not in torch_kokoro["unavailable_reason"] and torch_kokoro["device"] == "auto"
    assert "voice_cloning" in models["f5-tts"]["capabilities"]


def test_load_and_unload_on_request(http: httpx.Client) -> None:
    loaded = http.post("/api/models/espeak/load").json()
    assert loaded["state"]["loaded"] and loaded["state"]["device"] == "cpu"
    unloaded = http.post("/api/models/espeak/unload").json()
    assert not unloaded["state"]["loaded"]
    assert http.get("/api/models/espeak").json()["state"]["loaded"] is False
    assert http.post("/api/models/orpheus/load").status_code == 503
    assert http.get("/api/models/nope").status_code == 404


def test_builtin_voices(http: httpx.Client) -> None:
    kokoro = [v["id"] for v in http.get("/api/voices/builtin/kokoro").json()]
    assert kokoro == ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]
    espeak = {v["id"] for v in http.get("/api/voices/builtin/espeak").json()}
    assert {"en-us", "de", "fr-fr", "es"} <= espeak
    assert [v["id"] for v in http.get("/api/voices/builtin/piper").json()] == ["joe"]
    missing = http.get("/api/voices/builtin/nope")
    assert missing.status_code == 404 and "valid models" in missing.text
    orpheus = [v["id"] for v in http.get("/api/voices/builtin/orpheus").json()]
    assert orpheus[:3] == ["tara", "leah", "jess"], "listed without torch or weights"
    stock = http.get("/api/voices/builtin/kokoro-torch").json()
    assert len(stock) == 54 and stock[0]["id"] == "af_heart" and stock[0]["language"] == "en-us"


def test_health_and_gpu(server: Server, http: httpx.Client) -> None:
    health = http.get("/api/system/health").json()
    assert health["status"] == "ok" and health["executor"] == server.executor
    assert health["database"] == {"local": "sqlite", "celery": "postgresql"}[server.executor]
    assert health["models_available"] >= 3
    gpu = http.get("/api/system/gpu").json()
    assert gpu["available"] is False and gpu["devices"] == []
    assert "CPU only" in gpu["message"]


def test_openapi_docs(http: httpx.Client) -> None:
    assert "swagger" in http.get("/docs").text.lower()
    assert "redoc" in http.get("/redoc").text.lower()
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/api/tts/generate", "/api/tts/jobs/{job_id}/audio", "/api/tts/batch",
                 "/api/tts/batches/{batch_id}/zip", "/api/models", "/api/system/gpu",
                 "/api/voices/builtin/{model_id}"):
        assert path in paths
