"""VibeVoice 1.5B through VibeVoiceLargeEngine: PyPI vibevoice's real processor and inference
model, built tiny (Qwen2 LM, acoustic/semantic tokenizers, diffusion head), with a stand-in for
the Qwen2.5 text tokenizer (a hub download). Cloning from a reference and a preset voice file;
native streaming through the package's AudioStreamer."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.vibevoice import VibeVoiceLargeEngine
from openspeakers.runtime import Cancelled, CancelSignal
from tests.engines.conftest import need


class TinyTextTokenizer:
    """What the processor and generate() use of VibeVoiceTextTokenizerFast, in a 256-id vocab."""

    bos_token_id = None
    eos_token_id = pad_token_id = pad_id = 255
    speech_start_id, speech_end_id, speech_diffusion_id = 252, 253, 254
    model_input_names = ["input_ids", "attention_mask"]

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return [ord(c) % 250 for c in text]


def _wav(path: Path, seconds: float = 0.4) -> Path:
    import soundfile

    t = np.arange(int(24000 * seconds)) / 24000
    soundfile.write(path, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 24000)
    return path


@pytest.fixture
def engine(device: str, tmp_path: Path) -> VibeVoiceLargeEngine:
    need("torch", "vibevoice", "soundfile", "librosa")
    import torch
    from vibevoice.modular.configuration_vibevoice import VibeVoiceConfig
    from vibevoice.modular.modeling_vibevoice_inference import (
        VibeVoiceForConditionalGenerationInference,
    )
    from vibevoice.processor.vibevoice_processor import VibeVoiceProcessor
    from vibevoice.processor.vibevoice_tokenizer_processor import VibeVoiceTokenizerProcessor

    torch.manual_seed(0)
    tok = dict(encoder_n_filters=8, encoder_depths="1-1-1-1-1-1-1")
    cfg = VibeVoiceConfig(
        decoder_config=dict(model_type="qwen2", vocab_size=256, hidden_size=64,
                            intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                            num_key_value_heads=2, max_position_embeddings=4096),
        acoustic_tokenizer_config=dict(vae_dim=16, decoder_n_filters=8, **tok),
        semantic_tokenizer_config=dict(vae_dim=16, **tok),
        diffusion_head_config=dict(hidden_size=64, head_layers=2, latent_size=16,
                                   speech_vae_dim=16))
    model = VibeVoiceForConditionalGenerationInference(cfg).eval()
    model.set_ddpm_inference_steps(3)
    # set by a checkpoint in real use (NaN until then)
    model.model.speech_scaling_factor.fill_(1.0)
    model.model.speech_bias_factor.fill_(0.0)
    # random LM: make it emit speech (diffusion) tokens so the head and decoder run
    model.lm_head.register_forward_hook(
        lambda m, i, o: o + 100 * (torch.arange(256, device=o.device) == 254))
    processor = VibeVoiceProcessor(tokenizer=TinyTextTokenizer(),
                                   audio_processor=VibeVoiceTokenizerProcessor())
    voices = tmp_path / "voices"
    voices.mkdir()
    _wav(voices / "en-Alice_woman.wav")
    _wav(voices / "en-Frank_man.wav")
    return VibeVoiceLargeEngine.from_parts(
        device, {"max_new_tokens": 8, "voices_dir": str(voices), "cfg_scale": 1.3},
        model=model.to(device), processor=processor)


def test_generate_cloning(engine: VibeVoiceLargeEngine, tmp_path: Path) -> None:
    ref = _wav(tmp_path / "ref.wav", 0.5)
    result = engine.generate(GenerateRequest(text="Hello there.", reference_audio=ref, seed=1))
    assert result.sample_rate == VibeVoiceLargeEngine.sample_rate == 24000
    assert result.audio.dtype == np.float32 and len(result.audio) > 0
    assert len(result.audio) % 3200 == 0  # 3200 samples per latent frame
    assert np.isfinite(result.audio).all()


def test_two_speakers_with_preset_voices(engine: VibeVoiceLargeEngine) -> None:
    request = GenerateRequest(text="Speaker 1: Hi.\nSpeaker 2: Hello!", voice="en-Alice_woman",
                              params={"speakers": "en-Frank_man"}, seed=2)
    assert len(engine.generate(request).audio) > 0


def test_stream_generate(engine: VibeVoiceLargeEngine) -> None:
    request = GenerateRequest(text="Streaming now.", voice="en-Frank_man", seed=3)
    chunks = list(engine.stream_generate(request))
    assert len(chunks) >= 2
    assert all(c.sample_rate == 24000 for c in chunks)
    assert chunks[-1].chars_done == len(request.text)
    assert sum(len(c.audio) for c in chunks) > 0


def test_cancel_stops_the_generation_thread(engine: VibeVoiceLargeEngine) -> None:
    """A cancel reaches VibeVoice's generate loop (stop_check_fn): it stops within a step and
    its thread is gone before the stream gives up."""
    engine.options["max_new_tokens"] = 400
    steps = [0]
    engine.model.lm_head.register_forward_hook(lambda *_: steps.__setitem__(0, steps[0] + 1))
    cancel = CancelSignal()
    stream = engine.stream_generate(
        GenerateRequest(text="Speaker 1: a long line to cancel.", voice="en-Frank_man", seed=4),
        cancel)
    next(stream)
    at_cancel = steps[0]
    cancel.set()
    with pytest.raises(Cancelled):
        for _ in stream:
            pass
    assert steps[0] <= at_cancel + 2  # (a CFG step runs the head twice)
    assert steps[0] < 400
    assert not [t for t in threading.enumerate() if t.name.endswith("-generate")]
