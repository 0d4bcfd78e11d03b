"""Dia through DiaEngine: tiny DiaForConditionalGeneration + tiny DAC, dialogue and cloning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.dia import DiaEngine
from tests.engines.conftest import need


@pytest.fixture
def engine(device: str) -> DiaEngine:
    need("torch", "transformers", "transformers.models.dia", "soundfile")
    import torch
    from transformers import (
        DacConfig,
        DacModel,
        DiaConfig,
        DiaDecoderConfig,
        DiaEncoderConfig,
        DiaFeatureExtractor,
        DiaForConditionalGeneration,
        DiaProcessor,
        DiaTokenizer,
    )

    torch.manual_seed(0)
    enc = DiaEncoderConfig(num_hidden_layers=2, hidden_size=64, num_attention_heads=2,
                           num_key_value_heads=2, head_dim=32, intermediate_size=128)
    dec = DiaDecoderConfig(num_hidden_layers=2, hidden_size=64, num_attention_heads=2,
                           num_key_value_heads=1, head_dim=32, intermediate_size=128,
                           cross_num_attention_heads=2, cross_head_dim=32,
                           cross_num_key_value_heads=2, cross_hidden_size=64)
    model = DiaForConditionalGeneration(DiaConfig(encoder_config=enc, decoder_config=dec))
    dac = DacModel(DacConfig(encoder_hidden_size=16, decoder_hidden_size=64, n_codebooks=9,
                             codebook_size=1024, sampling_rate=44100)).eval()
    processor = DiaProcessor(DiaFeatureExtractor(sampling_rate=44100, hop_length=512),
                             DiaTokenizer(), dac)  # Dia's tokenizer is byte-level: no vocab file
    return DiaEngine.from_parts(device, {"max_new_tokens": 32},
                                model=model.eval().to(device), processor=processor)


def test_generate_dialogue(engine: DiaEngine) -> None:
    result = engine.generate(GenerateRequest(text="[S1] Hello there. [S2] Hi! (laughs)", seed=1))
    assert result.sample_rate == DiaEngine.sample_rate == 44100
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1
    assert len(result.audio) > 0 and np.isfinite(result.audio).all()


def test_generate_cloning(engine: DiaEngine, tmp_path: Path) -> None:
    import soundfile

    ref = tmp_path / "ref.wav"
    soundfile.write(ref, (np.random.default_rng(0).standard_normal(22050) * 0.1)
                    .astype(np.float32), 22050)  # resampled to 44.1 kHz by the adapter
    result = engine.generate(GenerateRequest(text="And now the new line.", reference_audio=ref,
                                             reference_text="[S1] This is the reference.",
                                             seed=3))
    assert result.sample_rate == 44100 and len(result.audio) > 0


def test_stream_generate_falls_back_to_sentences(engine: DiaEngine) -> None:
    request = GenerateRequest(text="One. Two.", seed=4)
    chunks = list(engine.stream_generate(request))
    assert chunks and all(c.sample_rate == 44100 and len(c.audio) for c in chunks)
    assert chunks[-1].chars_done == len(request.text)
