"""Chatterbox through ChatterboxEngine: a tiny T3 (Llama) with S3Gen and the voice encoder at
their hard-coded full size, random weights. Slow on a CPU (about 100 s a call on 2 cores)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.chatterbox import ChatterboxEngine
from tests.engines.conftest import need


@pytest.fixture
def engine(device: str, tmp_path: Path) -> ChatterboxEngine:
    need("torch", "chatterbox", "tokenizers")
    import torch
    from chatterbox.models.s3gen import S3Gen
    from chatterbox.models.t3 import T3
    from chatterbox.models.t3.llama_configs import LLAMA_520M_CONFIG_DICT, LLAMA_CONFIGS
    from chatterbox.models.t3.modules.t3_config import T3Config
    from chatterbox.models.tokenizers import EnTokenizer
    from chatterbox.models.voice_encoder import VoiceEncoder
    from chatterbox.tts import ChatterboxTTS
    from tokenizers import Tokenizer, models

    torch.manual_seed(0)
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,!?'\"-"
    special = {"[STOP]": 0, "[START]": 1, "[UNK]": 2, "[SPACE]": 3}
    tok = Tokenizer(models.BPE({c: i + 4 for i, c in enumerate(chars)} | special, [],
                               unk_token="[UNK]"))  # noqa: S106
    tok.add_special_tokens(list(special))
    tok.save(str(tmp_path / "tokenizer.json"))
    LLAMA_CONFIGS["tiny-test"] = dict(LLAMA_520M_CONFIG_DICT, hidden_size=64,
                                      intermediate_size=128, num_hidden_layers=2,
                                      num_attention_heads=4, num_key_value_heads=4, head_dim=16)
    hp = T3Config()
    hp.llama_config_name, hp.use_perceiver_resampler, hp.speech_cond_prompt_len = \
        "tiny-test", False, 10
    t3 = T3(hp).eval().to(device)
    # a random LM never emits its stop token: cap the speech tokens (generate hard-codes 1000)
    inference = t3.inference
    t3.inference = lambda **kw: inference(**{**kw, "max_new_tokens": 30})
    tts = ChatterboxTTS(t3, S3Gen().eval().to(device), VoiceEncoder().eval().to(device),
                        EnTokenizer(str(tmp_path / "tokenizer.json")), device)
    return ChatterboxEngine.from_parts(device, model=tts)


def test_generate_cloning(engine: ChatterboxEngine, tmp_path: Path) -> None:
    import soundfile

    ref = tmp_path / "ref.wav"
    t = np.arange(24000 * 3) / 24000
    soundfile.write(ref, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 24000)
    result = engine.generate(GenerateRequest(text="Hello world.", reference_audio=ref, seed=1,
                                             params={"exaggeration": 0.7}))
    assert result.sample_rate == ChatterboxEngine.sample_rate == 24000
    assert result.audio.dtype == np.float32 and len(result.audio) > 0
    assert np.isfinite(result.audio).all()
