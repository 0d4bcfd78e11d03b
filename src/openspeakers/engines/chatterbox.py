"""Chatterbox (Resemble AI, `chatterbox-tts`): cloning from reference audio, emotion exaggeration.

`ChatterboxTTS.from_local(folder, device)` on the cached snapshot; the repo's `conds.pt` is the
default voice. Cloning needs only the reference recording (no transcript); the prepared
conditionals of the last reference are kept, so repeated requests with one voice skip the
speaker encoders. Every output carries Resemble's Perth watermark (the package adds it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import GenerateRequest, GenerateResult, InvalidRequestError, Voice


def sampling(params: dict[str, Any]) -> dict[str, float]:
    """exaggeration (0.25-2: calm to intense), cfg_weight (pace/adherence), temperature."""
    out = {"exaggeration": float(params.get("exaggeration", 0.5)),
           "cfg_weight": float(params.get("cfg_weight", 0.5)),
           "temperature": float(params.get("temperature", 0.8))}
    if not 0.0 <= out["exaggeration"] <= 2.0:
        raise InvalidRequestError("exaggeration must be between 0 and 2")
    if not 0.0 <= out["cfg_weight"] <= 1.0:
        raise InvalidRequestError("cfg_weight must be between 0 and 1")
    return out


class ChatterboxEngine(hf.HubEngine):
    model_id = "chatterbox"
    parameters = {"exaggeration": P.Param("float", 0.0, 2.0, "Emotion exaggeration"),
                  "cfg_weight": P.Param("float", 0.0, 2.0, "Classifier-free guidance weight"),
                  "temperature": P.TEMPERATURE}
    sample_rate = 24000
    hf_repo = "ResembleAI/chatterbox"
    voices = (Voice(id="default", name="Default (conds.pt)", language="en"),)
    _held = ("model",)

    _conditioned_on: tuple[Path, float] | None = None

    def load_weights(self, folder: Path, device: str) -> None:
        from chatterbox.tts import ChatterboxTTS

        self.model = ChatterboxTTS.from_local(folder, device)
        self._conditioned_on = None

    def unload(self) -> None:
        super().unload()
        self._conditioned_on = None

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        self.resolve_voice(request.voice)
        s = sampling(self.params(request))
        if request.reference_audio is not None:
            self.require_reference(request)
            ref = Path(request.reference_audio)
            key = (ref, s["exaggeration"])
            if self._conditioned_on != key:
                self.model.prepare_conditionals(str(ref), exaggeration=s["exaggeration"])
                self._conditioned_on = key
        elif self._conditioned_on is not None:  # back to the default voice
            self.model = self._reload_default_conds(self.model)
            self._conditioned_on = None
        wav = self.model.generate(request.text, **s)
        return GenerateResult(hf.to_float32_mono(wav), int(self.model.sr))

    def _reload_default_conds(self, model: Any) -> Any:
        from chatterbox.tts import Conditionals

        conds = self.weights_dir() / "conds.pt"
        model.conds = Conditionals.load(str(conds), map_location="cpu").to(self.device)
        return model
