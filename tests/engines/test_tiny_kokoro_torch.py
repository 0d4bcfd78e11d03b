"""Kokoro-82M (PyTorch) through KokoroTorchEngine: a tiny random KModel in a weights folder laid
out like hexgrad/Kokoro-82M (config.json, kokoro-v1_0.pth, voices/*.pt), loaded by `load()`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest, InvalidRequestError
from openspeakers.engines.kokoro_torch import WEIGHTS_FILE, KokoroTorchEngine
from openspeakers.runtime import Runtime
from tests.engines.conftest import need

VOICES = ("af_heart", "bf_emma", "ef_dora")


def tiny_weights(folder: Path) -> Path:
    """A random tiny Kokoro: ALBERT and the prosody stack shrunk; the decoder's channel sizes
    are hard-coded by kokoro (hidden 512, style 128), so those stay; an empty state dict
    makes KModel keep its random initialisation."""
    import torch
    from misaki import espeak

    phonemes = "".join(espeak.EspeakG2P(language=lang)(text)[0] for lang, text in (
        ("en-us", "Hello world, this is a test of the quick brown fox."),
        ("en-gb", "The weather in London is rather grey today."),
        ("es", "Hola mundo, esto es una prueba.")))
    vocab = {c: i + 1 for i, c in enumerate(sorted(set(phonemes)))}
    config = dict(vocab=vocab, n_token=178, hidden_dim=512, style_dim=128, n_layer=1,
                  max_dur=4, dropout=0.0, n_mels=80, text_encoder_kernel_size=5,
                  plbert=dict(hidden_size=64, num_attention_heads=2, intermediate_size=128,
                              max_position_embeddings=512, num_hidden_layers=2),
                  istftnet=dict(upsample_kernel_sizes=[20, 12], upsample_rates=[10, 6],
                                gen_istft_hop_size=5, gen_istft_n_fft=20,
                                resblock_dilation_sizes=[[1, 3, 5]], resblock_kernel_sizes=[3],
                                upsample_initial_channel=512))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    torch.save({}, folder / WEIGHTS_FILE)
    (folder / "voices").mkdir(exist_ok=True)
    generator = torch.Generator().manual_seed(0)
    for voice in VOICES:
        torch.save(torch.randn(510, 1, 256, generator=generator) * 0.1,
                   folder / "voices" / f"{voice}.pt")
    return folder


@pytest.fixture
def engine(device: str, tmp_path: Path) -> KokoroTorchEngine:
    need("torch", "kokoro", "misaki")
    import torch

    offline = Settings(hf_hub_offline=True, _env_file=None)  # type: ignore[call-arg]
    torch.manual_seed(0)  # offline: English G2P must not try spaCy's download
    engine = KokoroTorchEngine({"model_dir": str(tiny_weights(tmp_path / "kokoro"))},
                               Runtime(offline))
    engine.load(device)
    yield engine
    engine.unload()


def check_audio(audio: np.ndarray) -> None:
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) > 2400 and np.isfinite(audio).all()


def test_generate_english_through_the_pipeline(engine: KokoroTorchEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hello world, this is a test.",
                                             voice="af_heart"))
    assert result.sample_rate == KokoroTorchEngine.sample_rate == 24000
    check_audio(result.audio)
    assert set(engine.pipelines) == {"en-us"}  # the voice's letter chose the language


def test_voice_letter_picks_the_language(engine: KokoroTorchEngine) -> None:
    check_audio(engine.generate(GenerateRequest(text="Hola mundo.", voice="ef_dora")).audio)
    check_audio(engine.generate(GenerateRequest(text="Rather grey.", voice="bf_emma")).audio)
    assert set(engine.pipelines) == {"es", "en-gb"}
    # a bare `en` keeps the British voice British; a full tag overrides the voice's language
    engine.generate(GenerateRequest(text="Grey.", voice="bf_emma", language="en"))
    assert set(engine.pipelines) == {"es", "en-gb"}
    engine.generate(GenerateRequest(text="Grey.", voice="bf_emma", language="en-us"))
    assert set(engine.pipelines) == {"es", "en-gb", "en-us"}


def test_blend_and_matched_style(engine: KokoroTorchEngine) -> None:
    blend = engine.generate(GenerateRequest(text="Hello world.", voice="af_heart(2)+bf_emma"))
    check_audio(blend.audio)
    style = np.random.default_rng(1).normal(0, 0.1, (510, 1, 256)).astype(np.float32)
    check_audio(engine.generate(GenerateRequest(text="Hello world.", voice_style=style)).audio)
    with pytest.raises(InvalidRequestError, match="shape"):
        engine.generate(GenerateRequest(text="Hello.", voice_style=np.zeros((4, 256))))


def test_stream_generate_yields_each_sentence_in_order(engine: KokoroTorchEngine) -> None:
    text = "Hello world. This is a test."
    chunks = list(engine.stream_generate(GenerateRequest(text=text, voice="af_heart")))
    assert len(chunks) == 2 and all(c.sample_rate == 24000 for c in chunks)
    assert [c.chars_done for c in chunks] == [len("Hello world."), len(text)]
    for chunk in chunks:
        check_audio(chunk.audio)


def test_unload_drops_the_model(engine: KokoroTorchEngine) -> None:
    engine.unload()
    assert engine.model is None and engine.pipelines is None and not engine.is_loaded


def test_served_end_to_end_through_the_job_queue(tmp_path: Path) -> None:
    """The server, in the group's environment, sees the cached weights, lists their voices,
    runs a job on the tiny model in its worker and serves a WAV of the declared rate."""
    need("torch", "kokoro", "misaki")
    from tests.conftest import make_server
    from tests.helpers import probe

    root = tmp_path / "server"
    tiny_weights(root / "cache" / "models--hexgrad--Kokoro-82M" / "snapshots" / "tiny")
    server = make_server(root, HF_HUB_OFFLINE="1").start()
    try:
        with server.client() as http:
            model = http.get("/api/models/kokoro-torch").json()
            assert model["available"] is True, model["unavailable_reason"]
            voices = http.get("/api/voices/builtin/kokoro-torch").json()
            assert [v["id"] for v in voices] == list(VOICES)  # the snapshot's voices/*.pt
            job = http.post("/api/tts/generate", json={
                "text": "Hello world. This is a test.", "model_id": "kokoro-torch",
                "voice": "bf_emma", "format": "wav"}).json()
            done = server.wait_job(job["id"], timeout=300)
            assert done["status"] == "complete", done["error"]
            info = probe(http.get(f"/api/tts/jobs/{job['id']}/audio").content)
            assert info["codec"] == "pcm_s16le" and info["sample_rate"] == 24000
            assert info["duration"] > 0.2
            refused = http.post("/api/tts/generate", json={
                "text": "Hi.", "model_id": "kokoro-torch", "voice": "af_nobody"})
            assert refused.status_code == 400 and "af_heart, bf_emma, ef_dora" in refused.text
    finally:
        server.kill_all()
