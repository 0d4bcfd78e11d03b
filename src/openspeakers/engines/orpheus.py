"""Orpheus 3B (canopylabs): a Llama-3 LM that speaks SNAC codes, decoded at 24 kHz.

The `orpheus-speech` package cannot be used as a library (it downloads SNAC and moves it to CUDA
at import time, and imports vLLM unconditionally), so this is its ~100 lines redone: the prompt
layout, the audio-token -> SNAC code mapping and a windowed streaming decode. The LM runs on vLLM
when it is importable on a CUDA device (`backend: vllm|transformers|auto`), else on transformers;
both stream tokens as they are made and stop within a step of a cancel.
Emotion tags (<laugh>, <sigh>, ...) are ordinary text and pass through to the model.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import AudioChunk, GenerateRequest, GenerateResult, Voice
from openspeakers.engines.threaded import stopping_criteria, threaded_stream
from openspeakers.runtime import CancelSignal, never

SOH, EOT, EOH, SOA, SOS = 128259, 128009, 128260, 128261, 128257
EOS_SPEECH = 128258
"""End of speech: generation stops here."""
AUDIO0, SLOTS, CODEBOOK = 128266, 7, 4096
"""Audio token = AUDIO0 + slot * CODEBOOK + code, slot = position % 7 within a frame."""
SNAC_REPO = "hubertsiuzdak/snac_24khz"
VOICES = ("tara", "leah", "jess", "leo", "dan", "mia", "zac", "zoe")
EMOTION_TAGS = ("<laugh>", "<chuckle>", "<sigh>", "<cough>", "<sniffle>", "<groan>", "<yawn>",
                "<gasp>")


def prompt_ids(text_ids: Sequence[int]) -> list[int]:
    """[SOH] text [EOT EOH SOA SOS]: `text_ids` is the tokenized "voice: text" (with BOS)."""
    return [SOH, *text_ids, EOT, EOH, SOA, SOS]


def audio_codes(token_ids: Sequence[int]) -> np.ndarray:
    """Generated ids -> (frames, 7) SNAC codes; non-audio ids and a trailing part frame dropped,
    frames holding a code outside its slot's range dropped (the official decoder does the same)."""
    ids = np.asarray([t for t in token_ids if AUDIO0 <= t < AUDIO0 + SLOTS * CODEBOOK], np.int64)
    ids = ids[: len(ids) // SLOTS * SLOTS].reshape(-1, SLOTS)
    codes = ids - AUDIO0 - np.arange(SLOTS) * CODEBOOK
    return codes[((codes >= 0) & (codes < CODEBOOK)).all(axis=1)]


def snac_layers(frames: np.ndarray) -> list[np.ndarray]:
    """(frames, 7) -> SNAC's three layers [1, n], [1, 2n], [1, 4n] (12, 23, 47 Hz)."""
    return [frames[:, 0][None], frames[:, [1, 4]].reshape(1, -1),
            frames[:, [2, 3, 5, 6]].reshape(1, -1)]


class OrpheusEngine(hf.HubEngine):
    model_id = "orpheus"
    parameters = {"temperature": P.TEMPERATURE, "top_p": P.TOP_P,
                  "repetition_penalty": P.REPETITION_PENALTY,
                  "max_new_tokens": P.max_new_tokens(8192),
                  "slot_mask": P.Param("bool", description="Mask the audio-slot tokens")}
    sample_rate = 24000
    hf_repo = "canopylabs/orpheus-3b-0.1-ft"
    voices = tuple(Voice(id=v, name=v.capitalize(), language="en",
                         gender="male" if v in ("leo", "dan", "zac") else "female") for v in VOICES)
    _held = ("model", "tokenizer", "snac", "llm")

    STREAM_FRAMES = 6   # frames (of 2048 samples) decoded per streamed chunk
    CONTEXT_FRAMES = 4  # frames of left context re-decoded so chunk joins are seamless
    MAX_MODEL_LEN = 4096  # prompt + up to 2048 audio tokens (~24 s), with room to spare

    def load_weights(self, folder: Path, device: str) -> None:
        snac_dir = self.snapshot(SNAC_REPO)
        from snac import SNAC
        from transformers import AutoTokenizer

        token = hf.hf_token(self.settings)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, token=token)
        self.snac = SNAC.from_pretrained(str(snac_dir)).eval().to(device)
        backend = self.options.get("backend", "auto")
        if backend in ("auto", "vllm") and device.startswith("cuda") and _has_vllm():
            import torch
            from vllm import LLM

            total = torch.cuda.get_device_properties(torch.device(device)).total_memory / 2**30
            self.llm = LLM(model=str(folder), dtype="bfloat16", max_model_len=self.MAX_MODEL_LEN,
                           gpu_memory_utilization=self.memory_fraction(total))
        elif backend == "vllm":
            raise hf.EngineError("backend 'vllm' needs vllm and a CUDA device")
        else:
            from transformers import AutoModelForCausalLM

            self.model = AutoModelForCausalLM.from_pretrained(
                folder, torch_dtype=hf.torch_dtype(device), token=token).eval().to(device)

    def memory_fraction(self, total_gb: float) -> float:
        """vLLM's gpu_memory_utilization on a device of `total_gb`: the registry's VRAM estimate
        (what the arbiter books for this model), capped by the GPU budget, as a share of the
        device; the `gpu_memory` option overrides it."""
        if "gpu_memory" in self.options:
            return float(self.options["gpu_memory"])
        total = total_gb
        budget = min(self.settings.gpu_vram_gb or total, total)
        wanted = self.vram_gb_estimate or budget / 2
        return round(min(wanted, budget) / total, 4)

    # --- prompt and sampling --------------------------------------------------------------
    def _prompt(self, request: GenerateRequest) -> list[int]:
        voice = self.resolve_voice(request.voice)
        text_ids = self.tokenizer(f"{voice}: {request.text}", add_special_tokens=True).input_ids
        return prompt_ids(text_ids)

    def _sampling(self, request: GenerateRequest) -> dict[str, Any]:
        p = self.params(request)
        return {"temperature": float(p.get("temperature", 0.6)),
                "top_p": float(p.get("top_p", 0.8)),
                "repetition_penalty": float(p.get("repetition_penalty", 1.1)),
                "max_new_tokens": int(p.get("max_new_tokens", 2048)),
                "slot_mask": bool(p.get("slot_mask", False))}

    def _hf_kwargs(self, prompt_len: int, s: dict[str, Any]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "do_sample": True, "temperature": s["temperature"], "top_p": s["top_p"],
            "repetition_penalty": s["repetition_penalty"], "max_new_tokens": s["max_new_tokens"],
            "eos_token_id": EOS_SPEECH, "pad_token_id": EOS_SPEECH}
        if s["slot_mask"]:
            kwargs["logits_processor"] = [_slot_mask(prompt_len)]
        return kwargs

    def _tokens(self, request: GenerateRequest, cancel: CancelSignal) -> Iterator[int]:
        """Generated token ids as they come; the backend stops within a step of `cancel`."""
        prompt, s = self._prompt(request), self._sampling(request)
        if self.llm is not None:
            from vllm import SamplingParams

            params = SamplingParams(temperature=s["temperature"], top_p=s["top_p"],
                                    repetition_penalty=s["repetition_penalty"],
                                    max_tokens=s["max_new_tokens"], stop_token_ids=[EOS_SPEECH],
                                    seed=request.seed)
            yield from vllm_tokens(self.llm.llm_engine, prompt, params, cancel)
            return
        import torch
        from transformers.generation.streamers import BaseStreamer

        ids = torch.tensor([prompt], device=self.device)

        def produce(emit: Callable[[int], None], stop: CancelSignal) -> None:
            class Streamer(BaseStreamer):
                first = True

                def put(self, value: Any) -> None:
                    if self.first:  # the prompt
                        self.first = False
                        return
                    for t in value.reshape(-1).tolist():
                        emit(t)

                def end(self) -> None:
                    pass

            with torch.inference_mode():
                self.model.generate(ids, attention_mask=torch.ones_like(ids), streamer=Streamer(),
                                    stopping_criteria=stopping_criteria(stop),
                                    **self._hf_kwargs(len(prompt), s))

        yield from threaded_stream(produce, cancel, name="orpheus-generate")

    # --- decoding ---------------------------------------------------------------------------
    def _decode(self, frames: np.ndarray) -> np.ndarray:
        import torch

        layers = [torch.from_numpy(c).to(self.device) for c in snac_layers(frames)]
        with torch.inference_mode():
            return hf.to_float32_mono(self.snac.decode(layers))

    def unload(self) -> None:
        if self.llm is not None:
            _shutdown_vllm(self.llm)
        super().unload()

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        frames = audio_codes(list(self._tokens(request, never())))
        if not len(frames):
            raise hf.EngineError("Orpheus produced no audio tokens")
        return GenerateResult(self._decode(frames), self.sample_rate)

    def synthesize_stream(self, request: GenerateRequest,
                          cancel: CancelSignal) -> Iterator[AudioChunk]:
        total, ids, done = len(request.text), [], 0
        for t in self._tokens(request, cancel):
            ids.append(t)
            if t >= AUDIO0 and len(ids) % SLOTS == 0:
                frames = audio_codes(ids)
                if len(frames) - done >= self.STREAM_FRAMES + 1:  # keep one frame of lookahead
                    yield self._chunk(frames, done, len(frames) - 1, total, final=False)
                    done = len(frames) - 1
        frames = audio_codes(ids)
        if len(frames) > done:
            yield self._chunk(frames, done, len(frames), total, final=True)
        elif done == 0:
            raise hf.EngineError("Orpheus produced no audio tokens")

    def _chunk(self, frames: np.ndarray, start: int, stop: int, total: int,
               final: bool) -> AudioChunk:
        lo = max(0, start - self.CONTEXT_FRAMES)
        hi = min(len(frames), stop + (0 if final else 1))
        audio = self._decode(frames[lo:hi])
        per_frame = len(audio) // (hi - lo)
        piece = audio[(start - lo) * per_frame:(stop - lo) * per_frame]
        return AudioChunk(piece, self.sample_rate, total if final else 0, total)


def vllm_tokens(engine: Any, prompt: list[int], params: Any,
                cancel: CancelSignal) -> Iterator[int]:
    """Tokens from a vLLM `LLMEngine` as each step makes them (its add_request/step loop, not
    `LLM.generate`, which answers only at the end). A cancel, or a consumer that stops reading,
    aborts the request, so the device is free for the next job at once."""
    request_id = f"orpheus-{uuid.uuid4().hex}"
    engine.add_request(request_id, {"prompt_token_ids": prompt}, params)
    sent, finished = 0, False
    try:
        while not finished and engine.has_unfinished_requests():
            cancel.check()
            for out in engine.step():
                if out.request_id != request_id:
                    continue
                ids = list(out.outputs[0].token_ids)  # cumulative (RequestOutputKind default)
                yield from ids[sent:]
                sent, finished = len(ids), bool(out.finished)
    finally:
        if not finished:
            engine.abort_request([request_id])


def _shutdown_vllm(llm: Any) -> None:
    """Dropping a vLLM `LLM` does not give its GPU memory back: stop its engine core (V1) and
    tear down the parallel state it set up, as vLLM's own tests do between models."""
    import contextlib

    engine = getattr(llm, "llm_engine", None)
    core = getattr(engine, "engine_core", None)
    if core is not None and hasattr(core, "shutdown"):
        with contextlib.suppress(Exception):
            core.shutdown()
    with contextlib.suppress(Exception):
        from vllm.distributed import destroy_distributed_environment, destroy_model_parallel

        destroy_model_parallel()
        destroy_distributed_environment()


def _has_vllm() -> bool:
    from openspeakers.engines.registry import module_available

    return module_available("vllm")


def _slot_mask(prompt_len: int) -> Any:
    """Only audio tokens valid for the next slot (or end of speech at a frame boundary).
    Not used by default: it keeps a fine-tuned model (or a random one, in tests) on the grid."""
    import torch
    from transformers import LogitsProcessor

    class SlotMask(LogitsProcessor):
        def __call__(self, ids: Any, scores: Any) -> Any:
            slot = (ids.shape[1] - prompt_len) % SLOTS
            mask = torch.full_like(scores, float("-inf"))
            mask[:, AUDIO0 + slot * CODEBOOK:AUDIO0 + (slot + 1) * CODEBOOK] = 0
            if slot == 0:
                mask[:, EOS_SPEECH] = 0
            return scores + mask

    return SlotMask()
