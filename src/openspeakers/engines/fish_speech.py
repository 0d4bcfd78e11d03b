"""Fish Audio S2-Pro (fish-speech 2.x): multilingual zero-shot cloning, streaming, 44.1 kHz.

S2-Pro's code is the GitHub release of fishaudio/fish-speech (2.0.0), not the PyPI package (that
is the older S1 code): scripts/install_fish_speech_source.sh installs it into the worker
environment.
The adapter drives the package's own serving engine: the LM runs in its thread-safe queue,
`TTSInferenceEngine.inference(ServeTTSRequest(...))` yields segments and the final audio.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import AudioChunk, GenerateRequest, GenerateResult, Voice
from openspeakers.runtime import CancelSignal


def request_fields(request: GenerateRequest, params: dict[str, Any],
                   streaming: bool) -> dict[str, Any]:
    """ServeTTSRequest fields (without the references) from our request and engine params."""
    return {"text": request.text, "streaming": streaming, "format": "wav",
            "max_new_tokens": int(params.get("max_new_tokens", 1024)),
            "chunk_length": int(params.get("chunk_length", 200)),
            "top_p": float(params.get("top_p", 0.7)),
            "temperature": float(params.get("temperature", 0.7)),
            "repetition_penalty": float(params.get("repetition_penalty", 1.2)),
            "seed": request.seed, "normalize": bool(params.get("normalize", True))}


class FishSpeechEngine(hf.HubEngine):
    model_id = "fish-speech"
    parameters = {"max_new_tokens": P.max_new_tokens(8192),
                  "chunk_length": P.Param("int", 50, 1000, "Characters per generated chunk"),
                  "top_p": P.TOP_P, "temperature": P.TEMPERATURE,
                  "repetition_penalty": P.REPETITION_PENALTY,
                  "normalize": P.Param("bool", description="Normalise numbers and symbols")}
    sample_rate = 44100
    hf_repo = "fishaudio/s2-pro"
    voices = (Voice(id="default", name="Unconditioned (random speaker)"),)
    _held = ("model", "llama_queue")

    def load_weights(self, folder: Path, device: str) -> None:
        from fish_speech.inference_engine import TTSInferenceEngine
        from fish_speech.models.dac.inference import load_model as load_decoder
        from fish_speech.models.text2semantic.inference import launch_thread_safe_queue

        precision = hf.torch_dtype(device)
        self.llama_queue = launch_thread_safe_queue(checkpoint_path=str(folder), device=device,
                                                    precision=precision, compile=False)
        decoder = load_decoder(config_name=self.options.get("codec_config", "modded_dac_vq"),
                               checkpoint_path=str(folder / "codec.pth"), device=device)
        self.model = TTSInferenceEngine(llama_queue=self.llama_queue, decoder_model=decoder,
                                        precision=precision, compile=False)

    def unload(self) -> None:
        if self.llama_queue is not None:
            self.llama_queue.put(None)  # ends the LM worker thread, which holds the weights
        super().unload()

    def _serve_request(self, request: GenerateRequest, streaming: bool) -> Any:
        from fish_speech.utils.schema import ServeReferenceAudio, ServeTTSRequest

        self.resolve_voice(request.voice)
        self.require_reference(request, transcript=True)
        references = []
        if request.reference_audio is not None:
            references.append(ServeReferenceAudio(
                audio=Path(request.reference_audio).read_bytes(),
                text=(request.reference_text or "").strip()))
        return ServeTTSRequest(references=references,
                               **request_fields(request, self.params(request), streaming))

    def _results(self, request: GenerateRequest, streaming: bool) -> Iterator[tuple[str, Any]]:
        for result in self.model.inference(self._serve_request(request, streaming)):
            if result.code == "error":
                raise hf.EngineError(f"fish-speech: {result.error}")
            if result.code in ("segment", "final") and result.audio is not None:
                rate, audio = result.audio
                yield result.code, (int(rate), hf.to_float32_mono(audio))

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        for code, (rate, audio) in self._results(request, streaming=False):
            if code == "final":
                return GenerateResult(audio, rate)
        raise hf.EngineError("fish-speech returned no audio")

    def synthesize_stream(self, request: GenerateRequest,
                          cancel: CancelSignal) -> Iterator[AudioChunk]:
        total, pending = len(request.text), None
        for code, (rate, audio) in self._results(request, streaming=True):
            cancel.check()
            if code != "segment":
                continue  # the final result repeats the whole clip
            if pending is not None:
                yield AudioChunk(pending[1], pending[0], 0, total)
            pending = (rate, audio)
        if pending is None:
            raise hf.EngineError("fish-speech returned no audio")
        yield AudioChunk(pending[1], pending[0], total, total)


