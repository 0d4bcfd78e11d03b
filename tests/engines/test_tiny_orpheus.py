"""Orpheus through OrpheusEngine: tiny Llama (full Orpheus vocabulary) + tiny SNAC 24 kHz."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.orpheus import OrpheusEngine
from openspeakers.runtime import Cancelled, CancelSignal
from tests.engines.conftest import need, tiny_tokenizer

FRAMES = 10


@pytest.fixture
def engine(device: str) -> OrpheusEngine:
    need("torch", "transformers", "snac")
    import torch
    from snac import SNAC
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    lm = LlamaForCausalLM(LlamaConfig(vocab_size=156940, hidden_size=64, intermediate_size=128,
                                      num_hidden_layers=2, num_attention_heads=2,
                                      num_key_value_heads=1, max_position_embeddings=2048))
    codec = SNAC(sampling_rate=24000, encoder_dim=8, encoder_rates=[2, 4, 8, 8], decoder_dim=64,
                 decoder_rates=[8, 8, 4, 2], attn_window_size=None, codebook_size=4096,
                 codebook_dim=8, vq_strides=[4, 2, 1])
    # slot_mask keeps a random LM on the audio-token grid (a trained one is there by itself)
    return OrpheusEngine.from_parts(
        device, {"max_new_tokens": 7 * FRAMES, "slot_mask": True},
        model=lm.eval().to(device), snac=codec.eval().to(device), tokenizer=tiny_tokenizer())


def test_generate(engine: OrpheusEngine) -> None:
    result = engine.generate(GenerateRequest(text="Hello <laugh> there.", voice="tara", seed=1))
    assert result.sample_rate == OrpheusEngine.sample_rate == 24000
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1
    assert len(result.audio) > 0 and len(result.audio) % 2048 == 0  # 2048 samples a frame
    assert np.isfinite(result.audio).all()


def test_stream_generate(engine: OrpheusEngine) -> None:
    request = GenerateRequest(text="Streaming, frame by frame.", voice="leo", seed=2)
    chunks = list(engine.stream_generate(request))
    assert len(chunks) >= 2  # native streaming: audio before the end of generation
    assert all(c.sample_rate == 24000 and c.audio.dtype == np.float32 for c in chunks)
    assert chunks[-1].chars_done == chunks[-1].chars_total == len(request.text)
    total = sum(len(c.audio) for c in chunks)
    assert total > 0 and total % 2048 == 0


def _generation_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "orpheus-generate"]


def _count_steps(engine: OrpheusEngine) -> list[int]:
    """Decoding steps the LM has run (one forward call each), counted as they happen."""
    steps = [0]
    engine.model.register_forward_hook(lambda *_: steps.__setitem__(0, steps[0] + 1))
    return steps


def test_cancel_stops_the_generation_thread_within_one_step(engine: OrpheusEngine) -> None:
    engine.options["max_new_tokens"] = 7 * 200  # far more than is read before the cancel
    steps = _count_steps(engine)
    cancel = CancelSignal()
    stream = engine.stream_generate(GenerateRequest(text="Cancel me.", voice="tara", seed=3),
                                    cancel)
    first = next(stream)
    assert len(first.audio) > 0
    at_cancel = steps[0]
    cancel.set()
    with pytest.raises(Cancelled):
        next(stream)
    assert steps[0] <= at_cancel + 1  # the StoppingCriteria ended generate() at the next step
    assert not _generation_threads()  # joined before the stream gave up: nothing runs on
    assert steps[0] < 7 * 200


def test_closing_the_stream_stops_the_generation_thread(engine: OrpheusEngine) -> None:
    engine.options["max_new_tokens"] = 7 * 200
    steps = _count_steps(engine)
    stream = engine.stream_generate(GenerateRequest(text="Stop reading.", voice="tara", seed=4))
    next(stream)
    at_close = steps[0]
    stream.close()  # the consumer went away (a failed write, a client gone)
    assert steps[0] <= at_close + 1
    assert not _generation_threads()


def test_unload_drops_the_model(engine: OrpheusEngine) -> None:
    engine.unload()
    assert engine.model is None and engine.snac is None and engine.tokenizer is None
    assert not engine.is_loaded
