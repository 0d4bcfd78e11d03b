"""F5-TTS through F5TTSEngine: tiny DiT + CFM (the wheel's vocab) and a tiny Vocos vocoder;
the example reference voice that ships in the f5-tts wheel, and a reference of our own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.f5 import F5TTSEngine
from tests.engines.conftest import need

VOCOS = {
    "feature_extractor": {"class_path": "vocos.feature_extractors.MelSpectrogramFeatures",
                          "init_args": {"sample_rate": 24000, "n_fft": 1024, "hop_length": 256,
                                        "n_mels": 100, "padding": "center"}},
    "backbone": {"class_path": "vocos.models.VocosBackbone",
                 "init_args": {"input_channels": 100, "dim": 64, "intermediate_dim": 128,
                               "num_layers": 2}},
    "head": {"class_path": "vocos.heads.ISTFTHead",
             "init_args": {"dim": 64, "n_fft": 1024, "hop_length": 256, "padding": "center"}},
}


@pytest.fixture
def engine(device: str, tmp_path: Path) -> F5TTSEngine:
    need("torch", "f5_tts", "vocos", "soundfile")
    from importlib.resources import files

    import torch
    import yaml
    from f5_tts.model import CFM, DiT
    from f5_tts.model.utils import get_tokenizer
    from vocos import Vocos

    torch.manual_seed(0)
    vocab, size = get_tokenizer(str(files("f5_tts").joinpath("infer/examples/vocab.txt")),
                                "custom")
    dit = DiT(dim=64, depth=2, heads=2, dim_head=32, ff_mult=2, text_dim=32, conv_layers=1,
              text_num_embeds=size, mel_dim=100)
    model = CFM(transformer=dit, vocab_char_map=vocab,
                mel_spec_kwargs=dict(n_fft=1024, hop_length=256, win_length=1024,
                                     n_mel_channels=100, target_sample_rate=24000,
                                     mel_spec_type="vocos"))
    config = tmp_path / "vocos.yaml"
    config.write_text(yaml.safe_dump(VOCOS), encoding="utf-8")
    vocoder = Vocos.from_hparams(str(config))
    return F5TTSEngine.from_parts(device, {"nfe_step": 4}, model=model.eval().to(device),
                                  vocoder=vocoder.eval().to(device))


def test_generate_with_the_example_voice(engine: F5TTSEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hello world, this is a test.", seed=1))
    assert result.sample_rate == F5TTSEngine.sample_rate == 24000
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1
    assert len(result.audio) > 0 and np.isfinite(result.audio).all()


def test_cloning_with_reference_and_transcript(engine: F5TTSEngine, tmp_path: Path) -> None:
    import soundfile

    ref = tmp_path / "ref.wav"
    t = np.arange(16000 * 2) / 16000
    soundfile.write(ref, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 16000)
    fast = engine.generate(GenerateRequest(text="A new sentence to say.", reference_audio=ref,
                                           reference_text="Some reference text", speed=2.0,
                                           seed=2))
    slow = engine.generate(GenerateRequest(text="A new sentence to say.", reference_audio=ref,
                                           reference_text="Some reference text", speed=1.0,
                                           seed=2))
    assert fast.sample_rate == 24000 and 0 < len(fast.audio) < len(slow.audio)
