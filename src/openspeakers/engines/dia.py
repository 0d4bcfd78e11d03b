"""Dia 1.6B (Nari Labs) through transformers' DiaForConditionalGeneration, 44.1 kHz.

Dialogue is written with [S1]/[S2] speaker tags; non-verbal tags such as (laughs) pass through.
Cloning: the reference recording and its transcript (tagged like the text) are prepended, as in
Nari Labs' voice-clone example; the audio prompt is cut from the output again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import GenerateRequest, GenerateResult, InvalidRequestError, Voice

SPEAKER_TAG = re.compile(r"\[S(\d+)\]")
CODEC_REPO = "descript/dac_44khz"


def dialogue(text: str) -> str:
    """Text as Dia wants it: starting with a speaker tag ([S1] added if none), only [S1]/[S2]."""
    text = " ".join(text.split())
    if not text:
        raise InvalidRequestError("empty text")
    bad = sorted({m.group(0) for m in SPEAKER_TAG.finditer(text) if m.group(1) not in "12"})
    if bad:
        raise InvalidRequestError(f"Dia knows the speakers [S1] and [S2], not {', '.join(bad)}")
    if not text.startswith(("[S1]", "[S2]")):
        text = f"[S1] {text}"
    return text


def clone_prompt(reference_text: str, text: str) -> str:
    """The reference transcript followed by the new text; the new text continues with the
    speaker after the reference's last one unless it names its own."""
    ref = dialogue(reference_text)
    new = " ".join(text.split())
    if not new.startswith(("[S1]", "[S2]")):
        last = SPEAKER_TAG.findall(ref)[-1]
        new = f"[S{last}] {new}"
    return f"{ref} {dialogue(new)}"


class DiaEngine(hf.HubEngine):
    model_id = "dia"
    parameters = {"max_new_tokens": P.max_new_tokens(8192), "guidance_scale": P.CFG,
                  "temperature": P.TEMPERATURE, "top_p": P.TOP_P, "top_k": P.TOP_K}
    sample_rate = 44100
    hf_repo = "nari-labs/Dia-1.6B-0626"
    voices = (Voice(id="dialogue", name="Dialogue ([S1]/[S2], random voices)", language="en"),)
    _held = ("model", "processor")

    def load_weights(self, folder: Path, device: str) -> None:
        from transformers import AutoProcessor, DiaForConditionalGeneration

        # the processor's audio codec (DAC 44 kHz) is a second repo, read from the same cache
        hub = hf.hub_kwargs(self.settings)
        self.processor = AutoProcessor.from_pretrained(folder, **hub)
        self.model = DiaForConditionalGeneration.from_pretrained(
            folder, torch_dtype=hf.torch_dtype(device, "float16"), **hub).eval().to(device)

    def inputs(self, request: GenerateRequest) -> tuple[dict[str, Any], int | None]:
        """Processor inputs and, when cloning, the audio prompt length to cut off."""
        self.require_reference(request, transcript=True)
        if request.reference_audio is None:
            enc = self.processor(text=[dialogue(request.text)], padding=True, return_tensors="pt")
            return dict(enc), None
        ref, _ = hf.read_audio(request.reference_audio, self.sample_rate)
        enc = self.processor(text=[clone_prompt(request.reference_text or "", request.text)],
                             audio=[ref], padding=True, return_tensors="pt")
        return dict(enc), self.processor.get_audio_prompt_len(enc["decoder_attention_mask"])

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        import torch

        self.resolve_voice(request.voice)
        p = self.params(request)
        enc, prompt_len = self.inputs(request)
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode():
            out = self.model.generate(
                **enc, max_new_tokens=int(p.get("max_new_tokens", 3072)),
                guidance_scale=float(p.get("guidance_scale", 3.0)),
                temperature=float(p.get("temperature", 1.8)), top_p=float(p.get("top_p", 0.9)),
                top_k=int(p.get("top_k", 45)), do_sample=True)
        kwargs = {"audio_prompt_len": prompt_len} if prompt_len is not None else {}
        # the processor's DAC codec stays on the CPU (it also encodes the reference there)
        audio = self.processor.batch_decode(out.cpu(), **kwargs)[0]
        return GenerateResult(hf.to_float32_mono(audio), self.sample_rate)
