"""Microsoft VibeVoice: Realtime 0.5B (streaming, preset voices) and 1.5B (cloning, dialogue).

1.5B: PyPI `vibevoice==0.0.1` (the long-form code: `VibeVoiceForConditionalGenerationInference` +
`VibeVoiceProcessor`); a script of "Speaker N:" lines, one reference recording per speaker.
Realtime 0.5B: `VibeVoiceStreamingForConditionalGenerationInference` from the GitHub release
(scripts/install_vibevoice_realtime_source.sh), voices are prefilled prompt caches (.pt). Both
stream audio through the package's `AudioStreamer` while `generate` runs in a thread
(engines/threaded.py; a cancel reaches it as `stop_check_fn` where the code has it). The two
codes share a package name, so the models live in separate groups (environments).
"""

from __future__ import annotations

import copy
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.engines import hf
from openspeakers.engines import params as P
from openspeakers.engines.base import (
    AudioChunk,
    GenerateRequest,
    GenerateResult,
    InvalidRequestError,
    Voice,
)
from openspeakers.engines.threaded import threaded_stream
from openspeakers.runtime import CancelSignal

_TAG = re.compile(r"^\s*(?:speaker\s*(\d+)\s*:|\[s(\d+)\])\s*", re.IGNORECASE)
LARGE_VOICES = ("en-Alice_woman", "en-Carter_man", "en-Frank_man", "en-Mary_woman_bgm",
                "en-Maya_woman", "in-Samuel_man", "zh-Anchen_man_bgm", "zh-Bowen_man",
                "zh-Xinran_woman")
REALTIME_VOICES = ("en-Carter_man", "en-Davis_man", "en-Emma_woman", "en-Frank_man",
                   "en-Grace_woman", "en-Mike_man", "in-Samuel_man")


def script(text: str) -> tuple[str, int]:
    """Text -> VibeVoice script ("Speaker N: ..." lines, N from 1) and the number of speakers.
    Lines may start with "Speaker N:" or "[SN]"; untagged lines continue the last speaker."""
    lines, speakers, current = [], [], 1
    for raw in text.splitlines():
        if not raw.strip():
            continue
        match = _TAG.match(raw)
        if match:
            current = int(match.group(1) or match.group(2))
            raw = raw[match.end():]
        if current < 1:
            raise InvalidRequestError("speakers are numbered from 1")
        lines.append(f"Speaker {current}: {' '.join(raw.split())}")
        if current not in speakers:
            speakers.append(current)
    if not lines:
        raise InvalidRequestError("empty text")
    if sorted(speakers) != list(range(1, len(speakers) + 1)):
        raise InvalidRequestError(f"speakers must be numbered 1..{len(speakers)}")
    return "\n".join(lines), len(speakers)


def _voice(name: str) -> Voice:
    lang, _, rest = name.partition("-")
    who, _, gender = rest.partition("_")
    return Voice(id=name, name=who, language=lang, gender=gender.split("_")[0] or None)


class _VibeVoiceBase(hf.HubEngine):
    parameters = {"max_new_tokens": P.max_new_tokens(32768), "cfg_scale": P.CFG,
                  "do_sample": P.DO_SAMPLE,
                  "speakers": P.Param("list", description="Voices of speakers 2.., in order",
                                      max_length=3)}
    sample_rate = 24000
    _held = ("model", "processor")
    voice_ext = ".wav"

    def voices_dir(self) -> Path:
        """Preset voices (the official demo/voices files): `voices_dir` option, else
        MODEL_CACHE_DIR/vibevoice-voices (where the install script puts them)."""
        return Path(self.options.get("voices_dir")
                    or self.settings.model_cache_dir / "vibevoice-voices")

    def voice_file(self, voice: str | None) -> Path:
        name = self.resolve_voice(voice)
        for path in (self.voices_dir() / f"{name}{self.voice_ext}",
                     self.voices_dir() / "streaming_model" / f"{name}{self.voice_ext}"):
            if path.is_file():
                return path
        raise hf.EngineError(f"voice file {name}{self.voice_ext} not found in "
                             f"{self.voices_dir()} (see scripts/install_vibevoice*.sh)")

    def classes(self) -> tuple[Any, Any]:
        """The package's model and processor classes (imported on load)."""
        raise NotImplementedError

    def load_weights(self, folder: Path, device: str) -> None:
        model_cls, processor_cls = self.classes()
        self.processor = processor_cls.from_pretrained(
            str(folder), **hf.hub_kwargs(self.settings, token=False))
        self.model = model_cls.from_pretrained(str(folder), torch_dtype=hf.torch_dtype(device),
                                               device_map=device,
                                               attn_implementation="sdpa").eval()
        self.model.set_ddpm_inference_steps(num_steps=int(self.options.get("ddpm_steps", 10)))

    def inputs(self, request: GenerateRequest) -> tuple[dict[str, Any], dict[str, Any]]:
        """Processor inputs and extra generate() arguments."""
        raise NotImplementedError

    def _generate_kwargs(self, request: GenerateRequest) -> dict[str, Any]:
        enc, extra = self.inputs(request)
        enc = {k: v.to(self.device) if hasattr(v, "to") else v for k, v in enc.items()}
        p = self.params(request)
        return {**enc, **extra, "max_new_tokens": p.get("max_new_tokens"),
                "cfg_scale": float(p.get("cfg_scale", 1.3)),
                "tokenizer": self.processor.tokenizer,
                "generation_config": {"do_sample": bool(p.get("do_sample", False))},
                "verbose": False}

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        import torch

        kwargs = self._generate_kwargs(request)
        with torch.inference_mode():
            out = self.model.generate(**kwargs)
        speech = out.speech_outputs[0] if out.speech_outputs else None
        if speech is None:
            raise hf.EngineError(f"{self.model_id} produced no audio")
        return GenerateResult(hf.to_float32_mono(speech), self.sample_rate)

    def synthesize_stream(self, request: GenerateRequest,
                          cancel: CancelSignal) -> Iterator[AudioChunk]:
        import torch
        from vibevoice.modular.streamer import AudioStreamer

        kwargs = self._generate_kwargs(request)
        stops = "stop_check_fn" in inspect.signature(self.model.generate).parameters

        def produce(emit: Callable[[np.ndarray], None], stop: CancelSignal) -> None:
            streamer = AudioStreamer(batch_size=1, stop_signal=None, timeout=None)
            # the package's streamer hands pieces over through its own queue: relay them
            relay = threading.Thread(target=lambda: [emit(hf.to_float32_mono(piece)) for piece
                                                     in streamer.get_stream(0)], daemon=True)
            relay.start()
            try:
                with torch.inference_mode():
                    self.model.generate(**kwargs, audio_streamer=streamer,
                                        **({"stop_check_fn": stop.is_set} if stops else {}))
            finally:
                streamer.end()
                relay.join()

        total, pending = len(request.text), None
        for piece in threaded_stream(produce, cancel, name=f"{self.model_id}-generate"):
            if pending is not None:
                yield AudioChunk(pending, self.sample_rate, 0, total)
            pending = piece
        yield AudioChunk(pending if pending is not None else np.zeros(0, np.float32),
                         self.sample_rate, total, total)


class VibeVoiceEngine(_VibeVoiceBase):
    model_id = "vibevoice"
    hf_repo = "microsoft/VibeVoice-Realtime-0.5B"
    voices = tuple(_voice(v) for v in REALTIME_VOICES)
    voice_ext = ".pt"

    def classes(self) -> tuple[Any, Any]:
        try:
            from vibevoice.modular.modeling_vibevoice_streaming_inference import (
                VibeVoiceStreamingForConditionalGenerationInference as Model,
            )
            from vibevoice.processor.vibevoice_streaming_processor import (
                VibeVoiceStreamingProcessor as Processor,
            )
        except ImportError as exc:
            raise hf.EngineError("VibeVoice Realtime needs the GitHub release of vibevoice "
                                 "(scripts/install_vibevoice_realtime_source.sh); PyPI's 0.0.1 has "
                                 f"only the 1.5B code ({exc})") from exc
        return Model, Processor

    def inputs(self, request: GenerateRequest) -> tuple[dict[str, Any], dict[str, Any]]:
        import torch

        if request.reference_audio is not None:
            raise InvalidRequestError("VibeVoice 0.5B speaks preset voices only; use "
                                      "vibevoice-1.5b to clone")
        prompt = torch.load(self.voice_file(request.voice), map_location=self.device,
                            weights_only=False)
        enc = self.processor.process_input_with_cached_prompt(
            text=" ".join(request.text.split()), cached_prompt=prompt, padding=True,
            return_tensors="pt", return_attention_mask=True)
        return dict(enc), {"all_prefilled_outputs": copy.deepcopy(prompt)}


class VibeVoiceLargeEngine(_VibeVoiceBase):
    model_id = "vibevoice-1.5b"
    hf_repo = "microsoft/VibeVoice-1.5B"
    voices = tuple(_voice(v) for v in LARGE_VOICES)

    def classes(self) -> tuple[Any, Any]:
        from vibevoice.modular.modeling_vibevoice_inference import (
            VibeVoiceForConditionalGenerationInference as Model,
        )
        from vibevoice.processor.vibevoice_processor import VibeVoiceProcessor as Processor

        return Model, Processor

    def speaker_voices(self, request: GenerateRequest, count: int) -> list[Any]:
        """One reference per speaker: the request's reference (speaker 1) or voice, then the
        `speakers` parameter (comma-separated preset ids) for the others."""
        extra = self.params(request).get("speakers") or []
        if isinstance(extra, str):
            extra = [v.strip() for v in extra.split(",") if v.strip()]
        first = (hf.read_audio(request.reference_audio, self.sample_rate)[0]
                 if request.reference_audio is not None else str(self.voice_file(request.voice)))
        rest = [str(self.voice_file(v)) for v in extra[: count - 1]]
        if len(rest) < count - 1:
            raise InvalidRequestError(f"the script has {count} speakers: name the voices of "
                                      "speakers 2.. in the `speakers` parameter")
        return [first, *rest]

    def inputs(self, request: GenerateRequest) -> tuple[dict[str, Any], dict[str, Any]]:
        self.require_reference(request)
        text, count = script(request.text)
        enc = self.processor(text=[text], voice_samples=[self.speaker_voices(request, count)],
                             padding=True, return_tensors="pt", return_attention_mask=True)
        return dict(enc), {}
