"""Parler-TTS through ParlerEngine: tiny T5 encoder + tiny decoder + DAC 44.1 kHz (random)."""

from __future__ import annotations

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.parler import ParlerEngine
from tests.engines.conftest import need, tiny_tokenizer


@pytest.fixture
def engine(device: str) -> ParlerEngine:
    need("torch", "parler_tts", "transformers")
    import torch
    from parler_tts import (
        DACConfig,
        ParlerTTSConfig,
        ParlerTTSDecoderConfig,
        ParlerTTSForConditionalGeneration,
    )
    from transformers import T5Config

    torch.manual_seed(0)
    enc = T5Config(vocab_size=256, d_model=32, d_kv=8, d_ff=64, num_layers=1, num_heads=2)
    dac = DACConfig(num_codebooks=9, codebook_size=1024, latent_dim=1024, sampling_rate=44100)
    # vocab 1025 (not Mini's 1088): random logits must stay inside the codec's 1024 codes
    dec = ParlerTTSDecoderConfig(vocab_size=1025, num_codebooks=9, hidden_size=32, ffn_dim=64,
                                 num_hidden_layers=2, num_attention_heads=2, pad_token_id=1024,
                                 bos_token_id=1025, eos_token_id=1024)
    cfg = ParlerTTSConfig.from_sub_models_config(enc, dac, dec, pad_token_id=1024,
                                                 decoder_start_token_id=1025)
    model = ParlerTTSForConditionalGeneration(cfg).eval().to(device)
    return ParlerEngine.from_parts(device, {"max_new_tokens": 40, "min_new_tokens": 30},
                                   model=model, tokenizer=tiny_tokenizer())


def test_generate_from_a_description(engine: ParlerEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hello there.", seed=1,
                                             instructions="A calm male voice, close up."))
    assert result.sample_rate == ParlerEngine.sample_rate == 44100
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1
    assert len(result.audio) > 0 and np.isfinite(result.audio).all()


def test_generate_with_a_named_speaker(engine: ParlerEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hi.", voice="jon", seed=2))
    assert result.sample_rate == 44100 and len(result.audio) > 0
