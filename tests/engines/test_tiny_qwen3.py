"""Qwen3-TTS through Qwen3TTSEngine: the package's Qwen3TTSModel wrapper around a tiny talker
and a tiny 12 Hz speech tokenizer, with a hand-built stand-in for the Qwen2 text processor."""

from __future__ import annotations

import re

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.qwen3 import Qwen3TTSEngine
from tests.engines.conftest import need

CHAT_TOKENS = {"<|im_start|>": 151644, "<|im_end|>": 151645, "assistant": 77091, "user": 872,
               "\n": 198}


class ChatProcessor:
    """Stands in for the Qwen2 text processor (a hub download): chat markers at their real
    Qwen2 ids, any other character at a small id; called the way Qwen3TTSModel calls it."""

    SPLIT = re.compile(r"<\|im_start\|>|<\|im_end\|>|assistant|user|[\s\S]")

    def __call__(self, text: str, return_tensors: str = "pt", padding: bool = True) -> dict:
        import torch

        ids = [CHAT_TOKENS[p] if p in CHAT_TOKENS else 1000 + ord(p) % 5000
               for p in self.SPLIT.findall(text)]
        return {"input_ids": torch.tensor([ids])}


@pytest.fixture
def engine(device: str) -> Qwen3TTSEngine:
    need("torch", "qwen_tts")
    import torch
    from qwen_tts import Qwen3TTSModel, Qwen3TTSTokenizer
    from qwen_tts.core.models import Qwen3TTSConfig, Qwen3TTSForConditionalGeneration
    from qwen_tts.core.tokenizer_12hz.configuration_qwen3_tts_tokenizer_v2 import (
        Qwen3TTSTokenizerV2Config,
    )
    from qwen_tts.core.tokenizer_12hz.modeling_qwen3_tts_tokenizer_v2 import (
        Qwen3TTSTokenizerV2Model,
    )

    torch.manual_seed(0)
    talker = dict(
        vocab_size=3072, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=16,
        rope_scaling=dict(rope_type="default", mrope_section=[4, 2, 2], interleaved=True),
        text_vocab_size=151936, text_hidden_size=32, num_code_groups=16, codec_pad_id=2148,
        codec_bos_id=2149, codec_eos_token_id=2150, codec_think_id=2154, codec_nothink_id=2155,
        codec_think_bos_id=2156, codec_think_eos_id=2157, codec_language_id={"english": 2050},
        spk_id={"ryan": 3000}, spk_is_dialect={"ryan": False},
        code_predictor_config=dict(vocab_size=2048, hidden_size=32, intermediate_size=64,
                                   num_hidden_layers=1, num_attention_heads=2,
                                   num_key_value_heads=1, head_dim=16, num_code_groups=16))
    model = Qwen3TTSForConditionalGeneration(Qwen3TTSConfig(
        talker_config=talker, tts_model_type="custom_voice", tts_model_size="1b7",
        tokenizer_type="qwen3_tts_tokenizer_12hz")).eval()
    codec_cfg = Qwen3TTSTokenizerV2Config(
        encoder_config=dict(hidden_size=32, num_filters=4, num_hidden_layers=1,
                            num_attention_heads=2, num_key_value_heads=2, head_dim=16,
                            intermediate_size=64, codebook_size=2048, num_quantizers=16,
                            codebook_dim=32, num_semantic_quantizers=1, upsample_groups=32),
        decoder_config=dict(hidden_size=32, latent_dim=32, codebook_dim=32, decoder_dim=64,
                            num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                            intermediate_size=64, num_quantizers=16, codebook_size=2048))
    codec = Qwen3TTSTokenizer()
    codec.model = Qwen3TTSTokenizerV2Model(codec_cfg).eval().to(device)
    codec.config, codec.device = codec.model.config, torch.device(device)
    model.load_speech_tokenizer(codec)
    wrapper = Qwen3TTSModel(model=model.to(device), processor=ChatProcessor())
    return Qwen3TTSEngine.from_parts(device, {"max_new_tokens": 24}, model=wrapper)


def test_generate_custom_voice(engine: Qwen3TTSEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hello there.", voice="ryan", language="en",
                                             seed=1))
    assert result.sample_rate == Qwen3TTSEngine.sample_rate == 24000
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1
    assert len(result.audio) > 0 and np.isfinite(result.audio).all()


def test_generate_with_instructions(engine: Qwen3TTSEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hi.", voice="ryan",
                                             instructions="Speak happily.", seed=2))
    assert result.sample_rate == 24000 and len(result.audio) > 0
