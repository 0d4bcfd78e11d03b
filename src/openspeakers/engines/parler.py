"""Parler-TTS Mini v1 (`parler-tts`): the voice is described in plain text, 44.1 kHz.

The description comes from the request's `instructions` (or the `description` parameter); a
preset voice is one of the speakers the Mini v1 model was trained to recognise by name.
"""

from __future__ import annotations

from pathlib import Path

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import GenerateRequest, GenerateResult, InvalidRequestError, Voice

# Speakers named in the Parler-TTS Mini/Large v1 model card (consistent voices by name).
SPEAKERS = ("Laura", "Gary", "Jon", "Lea", "Karen", "Rick", "Brenda", "David", "Eileen",
            "Jordan", "Mike", "Yann", "Joy", "James", "Eric", "Lauren", "Rose", "Will",
            "Jason", "Aaron", "Naomie", "Alisa", "Patrick", "Jerry", "Tina", "Jenna", "Bill",
            "Tom", "Carol", "Barbara", "Rebecca", "Anna", "Bruce", "Emily")
DEFAULT_DESCRIPTION = ("A female speaker delivers a slightly expressive and animated speech with "
                       "a moderate speed and pitch. The recording is of very high quality, with "
                       "the speaker's voice sounding clear and very close up.")


def description(request: GenerateRequest, voice: str, params: dict[str, object]) -> str:
    """The text that conditions the voice: instructions > `description` param > the speaker."""
    for text in (request.instructions, params.get("description")):
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    if voice == "default":
        return DEFAULT_DESCRIPTION
    return (f"{voice.capitalize()}'s voice is expressive and clear, with a moderate speed and "
            "pitch. The recording is of very high quality, very close-sounding, with no "
            "background noise.")


class ParlerEngine(hf.HubEngine):
    model_id = "parler"
    parameters = {"description": P.Param("str", description="The voice, described in words",
                                         max_length=2000),
                  "temperature": P.TEMPERATURE, "max_new_tokens": P.max_new_tokens(8192),
                  "min_new_tokens": P.Param("int", 0, 8192, "Fewest tokens generated")}
    sample_rate = 44100
    hf_repo = "parler-tts/parler-tts-mini-v1"
    voices = (Voice(id="default", name="Described voice", language="en"),
              *(Voice(id=name.lower(), name=name, language="en") for name in SPEAKERS))
    _held = ("model", "tokenizer")

    def load_weights(self, folder: Path, device: str) -> None:
        from parler_tts import ParlerTTSForConditionalGeneration
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = ParlerTTSForConditionalGeneration.from_pretrained(
            folder, torch_dtype=hf.torch_dtype(device, "float16")).eval().to(device)

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        import torch

        if request.reference_audio is not None:
            raise InvalidRequestError("Parler-TTS does not clone voices: describe the voice "
                                      "in `instructions` instead")
        p = self.params(request)
        desc = description(request, self.resolve_voice(request.voice), p)
        d = self.tokenizer(desc, return_tensors="pt").to(self.device)
        t = self.tokenizer(request.text, return_tensors="pt").to(self.device)
        kwargs = {"do_sample": True, "temperature": float(p.get("temperature", 1.0))}
        if "max_new_tokens" in p:
            kwargs["max_new_tokens"] = int(p["max_new_tokens"])
        if "min_new_tokens" in p:
            kwargs["min_new_tokens"] = int(p["min_new_tokens"])
        with torch.inference_mode():
            audio = self.model.generate(input_ids=d.input_ids, attention_mask=d.attention_mask,
                                        prompt_input_ids=t.input_ids,
                                        prompt_attention_mask=t.attention_mask, **kwargs)
        rate = int(getattr(self.model.config, "sampling_rate", self.sample_rate))
        return GenerateResult(hf.to_float32_mono(audio), rate)
