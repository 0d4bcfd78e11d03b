"""F5-TTS (SWivid, `f5-tts`): flow-matching zero-shot cloning from a reference and its transcript.

Loads through the package's `F5TTS` (DiT + CFM + Vocos vocoder) and synthesises with its
`infer_batch_process`, handing it the reference as a tensor (the package's own `infer()` reads
files with torchaudio, whose codec backend is unusable beside CPU torch 2.13). Without a
reference, the example voices that ship in the f5-tts wheel are used, with their transcripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import (
    GenerateRequest,
    GenerateResult,
    InvalidRequestError,
    Voice,
)

VOCODER_REPO = "charactr/vocos-mel-24khz"
CHECKPOINT = "F5TTS_v1_Base/model_1250000.safetensors"
# voice id -> (file in f5_tts/infer/examples/basic, its transcript)
EXAMPLE_VOICES = {
    "basic_en": ("basic_ref_en.wav", "Some call me nature, others call me mother nature."),
    "basic_zh": ("basic_ref_zh.wav", "对，这就是我，万人敬仰的太乙真人。"),
}


def reference_transcript(text: str | None) -> str:
    """The transcript F5 conditions on: required (an empty one would make the package download
    Whisper to transcribe), ending in punctuation plus a space as the package expects."""
    text = " ".join((text or "").split())
    if not text:
        raise InvalidRequestError("F5-TTS needs the transcript of the reference audio "
                                  "(reference_text) to clone a voice")
    if not text.endswith((".", "!", "?", "。", "！", "？", ",", "，")):
        text += "."
    return text + " "


def text_chunk_chars(ref_text: str, ref_seconds: float) -> int:
    """How many characters of new text fit one generation (reference + new audio ~ 22 s),
    the package's own rule from `infer_process`."""
    rate = len(ref_text.encode("utf-8")) / max(ref_seconds, 0.1)
    return max(20, int(rate * (22 - ref_seconds)))


class F5TTSEngine(hf.HubEngine):
    model_id = "f5-tts"
    parameters = {"mel_spec_type": P.Param("str", description="vocos or bigvgan", max_length=16),
                  "nfe_step": P.Param("int", 1, 128, "Flow-matching steps"),
                  "cfg_strength": P.Param("float", 0.0, 10.0, "Guidance strength"),
                  "sway_sampling_coef": P.Param("float", -1.0, 1.0, "Sway sampling")}
    sample_rate = 24000
    speed_range = (0.5, 2.0)
    hf_repo = "SWivid/F5-TTS"
    voices = (Voice(id="basic_en", name="Example (English)", language="en"),
              Voice(id="basic_zh", name="Example (Chinese)", language="zh"))
    _held = ("model", "vocoder")

    def load_weights(self, folder: Path, device: str) -> None:
        vocoder = self.snapshot(VOCODER_REPO)
        from f5_tts.api import F5TTS

        checkpoint = folder / self.options.get("checkpoint", CHECKPOINT)
        if not checkpoint.is_file():
            raise hf.WeightsMissingError(f"{checkpoint} missing from the '{self.hf_repo}' "
                                         "snapshot")
        api = F5TTS(model=self.options.get("architecture", "F5TTS_v1_Base"),
                    ckpt_file=str(checkpoint), vocab_file=self.options.get("vocab_file", ""),
                    vocoder_local_path=str(vocoder), device=device,
                    hf_cache_dir=str(self.settings.model_cache_dir))
        self.model, self.vocoder = api.ema_model, api.vocoder

    def reference(self, request: GenerateRequest) -> tuple[Any, int, str]:
        """(mono tensor [1, n], rate, transcript) of the request's or the example voice."""
        import torch

        if request.reference_audio is not None:
            self.require_reference(request)
            audio, rate = hf.read_audio(request.reference_audio)
            text = reference_transcript(request.reference_text)
        else:
            from importlib.resources import files

            name, raw = EXAMPLE_VOICES[self.resolve_voice(request.voice)]
            path = files("f5_tts").joinpath(f"infer/examples/basic/{name}")
            audio, rate = hf.read_audio(str(path))
            text = reference_transcript(raw)
        return torch.from_numpy(audio)[None], rate, text

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        self.require_reference(request, transcript=True)
        from f5_tts.infer.utils_infer import chunk_text, infer_batch_process

        p = self.params(request)
        audio, rate, ref_text = self.reference(request)
        batches = chunk_text(request.text, max_chars=text_chunk_chars(
            ref_text, audio.shape[-1] / rate))
        out = infer_batch_process(
            (audio, rate), ref_text, batches, self.model, self.vocoder,
            mel_spec_type=p.get("mel_spec_type", "vocos"),
            nfe_step=int(p.get("nfe_step", 32)), cfg_strength=float(p.get("cfg_strength", 2.0)),
            sway_sampling_coef=float(p.get("sway_sampling_coef", -1.0)),
            speed=float(request.speed), device=self.device)
        wave = out[0] if isinstance(out, tuple) else next(iter(out))[0]
        return GenerateResult(hf.to_float32_mono(wave), self.sample_rate)
