"""The GPU engines' adapters exist, but without their extras, weights and a GPU the API refuses
them up front (503, before any job is queued), saying why."""

from __future__ import annotations

import httpx
import pytest

GPU_ENGINES = {  # model id -> (how to install it, as the reason says; its hub repo)
    "kokoro-torch": ("make worker-env GROUP=tts.kokoro", "hexgrad/Kokoro-82M"),
    "vibevoice": ("github.com/microsoft/VibeVoice, not PyPI: `make worker-env GROUP=tts "
                  "SOURCE=1`", "microsoft/VibeVoice-Realtime-0.5B"),
    "vibevoice-1.5b": ("openspeakers[vibevoice]", "microsoft/VibeVoice-1.5B"),
    "fish-speech": ("SOURCE=1", "fishaudio/s2-pro"),
    "qwen3-tts": ("openspeakers[qwen3]", "Qwen/Qwen3-TTS-12Hz-1.7B-CustomVoice"),
    "orpheus": ("make worker-env GROUP=tts.orpheus", "canopylabs/orpheus-3b-0.1-ft"),
    "dia": ("openspeakers[dia]", "nari-labs/Dia-1.6B-0626"),
    "f5-tts": ("openspeakers[f5-tts]", "SWivid/F5-TTS"),
    "chatterbox": ("openspeakers[chatterbox]", "ResembleAI/chatterbox"),
    "cosyvoice": ("github.com/FunAudioLLM/CosyVoice", "FunAudioLLM/CosyVoice2-0.5B"),
    "parler": ("openspeakers[parler]", "parler-tts/parler-tts-mini-v1"),
}
CPU_CAPABLE = {"kokoro-torch"}
"""Engines that run on the CPU when there is no GPU (registry device `auto`)."""


@pytest.mark.parametrize("model_id", sorted(GPU_ENGINES))
def test_generate_is_refused_with_the_reason(http: httpx.Client, model_id: str) -> None:
    extra, repo = GPU_ENGINES[model_id]
    before = http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]
    response = http.post("/api/tts/generate", json={"text": "Hello.", "model_id": model_id})
    assert response.status_code == 503, response.text
    assert repo in response.text
    assert ("CUDA" in response.text) is (model_id not in CPU_CAPABLE)
    model = http.get(f"/api/models/{model_id}").json()
    assert model["available"] is False
    # the extra is named when a package is missing (some may be installed in a dev venv)
    assert extra in model["unavailable_reason"] or "missing" not in model["unavailable_reason"]
    assert http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"] == before
