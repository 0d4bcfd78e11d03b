"""Qwen3-TTS 1.7B (`qwen-tts`): preset speakers with natural-language instructions, and cloning.

The CustomVoice checkpoint (the registry's repo) speaks the preset speakers and follows
`instructions` (emotion, style). Cloning is a different checkpoint of the same family, the Base
model (`clone_repo`, default Qwen/Qwen3-TTS-12Hz-1.7B-Base): it is loaded beside the first time a
request brings reference audio, and dropped with the rest on unload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import GenerateRequest, GenerateResult, InvalidRequestError, Voice

CLONE_REPO = "Qwen/Qwen3-TTS-12Hz-1.7B-Base"
SPEAKERS = {"Vivian": "zh", "Serena": "zh", "Uncle_Fu": "zh", "Dylan": "zh", "Eric": "zh",
            "Ryan": "en", "Aiden": "en", "Ono_Anna": "ja", "Sohee": "ko"}
LANGUAGES = {"zh": "Chinese", "en": "English", "ja": "Japanese", "ko": "Korean", "de": "German",
             "fr": "French", "ru": "Russian", "pt": "Portuguese", "es": "Spanish",
             "it": "Italian"}


def language_name(code: str | None) -> str:
    """ISO code (or 'en-US', or a name the package knows) -> the package's language name."""
    if not code:
        return "Auto"
    base = code.split("-")[0].split("_")[0].lower()
    if base in LANGUAGES:
        return LANGUAGES[base]
    if code.capitalize() in (*LANGUAGES.values(), "Auto"):
        return code.capitalize()
    raise InvalidRequestError(f"Qwen3-TTS does not speak '{code}'; languages: "
                              f"{', '.join(LANGUAGES)}")


def generation_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The sampling parameters the package's generate_* accept, from the engine params."""
    keys = {"temperature": float, "top_p": float, "top_k": int, "repetition_penalty": float,
            "max_new_tokens": int, "do_sample": bool}
    return {k: cast(params[k]) for k, cast in keys.items() if k in params}


class Qwen3TTSEngine(hf.HubEngine):
    model_id = "qwen3-tts"
    parameters = {"temperature": P.TEMPERATURE, "top_p": P.TOP_P, "top_k": P.TOP_K,
                  "repetition_penalty": P.REPETITION_PENALTY,
                  "max_new_tokens": P.max_new_tokens(8192), "do_sample": P.DO_SAMPLE,
                  "language": P.Param("str", description="Language name or code",
                                      max_length=32)}
    sample_rate = 24000
    hf_repo = "Qwen/Qwen3-TTS-12Hz-1.7B-CustomVoice"
    voices = tuple(Voice(id=name.lower(), name=name.replace("_", " "), language=lang)
                   for name, lang in SPEAKERS.items())
    _held = ("model", "clone_model")

    def _from_pretrained(self, folder: Any, device: str) -> Any:
        from qwen_tts import Qwen3TTSModel

        return Qwen3TTSModel.from_pretrained(str(folder), device_map=device,
                                             dtype=hf.torch_dtype(device))

    def load_weights(self, folder: Path, device: str) -> None:
        self.model = self._from_pretrained(folder, device)

    def _clone_model(self) -> Any:
        if self.clone_model is None:
            repo = self.options.get("clone_repo", CLONE_REPO)
            self.clone_model = self._from_pretrained(
                self.snapshot(repo, self.options.get("clone_model_dir")), str(self.device))
        return self.clone_model

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        p = self.params(request)
        kwargs = generation_kwargs(p)
        language = language_name(request.language or p.get("language"))
        if request.reference_audio is not None:
            self.require_reference(request)
            if request.instructions:
                raise InvalidRequestError("Qwen3-TTS follows instructions with its preset "
                                          "speakers, not with a cloned voice")
            ref_text = (request.reference_text or "").strip()
            # without a transcript only the speaker embedding is used (x-vector mode)
            wavs, rate = self._clone_model().generate_voice_clone(
                text=request.text, language=language, ref_audio=str(request.reference_audio),
                ref_text=ref_text or None, x_vector_only_mode=not ref_text, **kwargs)
        else:
            voice = self.resolve_voice(request.voice)
            speaker = next(n for n in SPEAKERS if n.lower() == voice)
            wavs, rate = self.model.generate_custom_voice(
                text=request.text, language=language, speaker=speaker,
                instruct=request.instructions or None, **kwargs)
        return GenerateResult(hf.to_float32_mono(wavs[0]), int(rate))
