"""What the GPU engines share: weights from MODEL_CACHE_DIR, torch device/dtype, seeding, audio,
and `HubEngine`, their base class with the load/generate/stream templates.

Nothing heavy is imported at module level: torch, huggingface_hub and soundfile are imported
inside the functions, so every adapter module imports on a server without any extra.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from openspeakers.engines.base import (
    AudioChunk,
    EngineError,
    GenerateRequest,
    GenerateResult,
    InvalidRequestError,
    TTSModelBase,
    Voice,
)
from openspeakers.runtime import CancelSignal, Runtime, never

if TYPE_CHECKING:
    from openspeakers.config import Settings


class WeightsMissingError(EngineError):
    """The engine's weights are not in MODEL_CACHE_DIR (and could not be downloaded)."""


def cached_snapshot(repo: str, root: Path) -> Path | None:
    """The snapshot folder of `repo` in the Hugging Face cache layout (refs/main first)."""
    base = root / f"models--{repo.replace('/', '--')}"
    snapshots = base / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = base / "refs" / "main"
    if ref.is_file():
        pinned = snapshots / ref.read_text(encoding="utf-8").strip()
        if pinned.is_dir() and any(pinned.iterdir()):
            return pinned
    found = sorted((p for p in snapshots.iterdir() if p.is_dir() and any(p.iterdir())),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    return found[0] if found else None


def snapshot_dir(repo: str, settings: Settings, local_dir: str | Path | None = None) -> Path:
    """A local folder holding `repo`: `local_dir` if given, else the cached snapshot, else a
    download into MODEL_CACHE_DIR (with HF_TOKEN, for gated repos) unless HF_HUB_OFFLINE is set."""
    if local_dir:
        path = Path(local_dir).expanduser()
        if not path.is_dir():
            raise WeightsMissingError(f"model folder {path} does not exist (weights of '{repo}')")
        return path
    cache = settings.model_cache_dir
    found = cached_snapshot(repo, cache)
    if found is not None:
        return found
    how = f"download '{repo}' into MODEL_CACHE_DIR ({cache}), e.g. " \
          f"`hf download {repo} --cache-dir {cache}`"
    if settings.hf_hub_offline:
        raise WeightsMissingError(f"weights not in cache: {how}")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise WeightsMissingError(f"weights not in cache: {how}") from None
    try:
        return Path(snapshot_download(repo, cache_dir=str(cache), token=hf_token(settings)))
    except Exception as exc:  # network, gated repo without token, ...
        raise WeightsMissingError(f"weights not in cache and the download failed ({exc}): "
                                  f"{how}") from exc


def hf_token(settings: Settings) -> str | None:
    """HF_TOKEN in the clear, for the hub's own calls only (a SecretStr everywhere else)."""
    return settings.hf_token.get_secret_value() if settings.hf_token else None


def hub_kwargs(settings: Settings, token: bool = True) -> dict[str, Any]:
    """`from_pretrained` arguments for files read from the hub by a library itself."""
    kwargs: dict[str, Any] = {"cache_dir": str(settings.model_cache_dir),
                              "local_files_only": settings.hf_hub_offline}
    if token:
        kwargs["token"] = hf_token(settings)
    return kwargs


def torch_device(device: str | None) -> str:
    """The manager's device ('cpu', 'cuda:N'); 'cuda' without CUDA is an error, not a fallback."""
    device = device or "cpu"
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise EngineError(f"device {device} requested but torch sees no CUDA device")
    return device


def torch_dtype(device: str, prefer: str = "bfloat16") -> Any:
    """bfloat16 (or float16 where bf16 is unsupported) on CUDA, float32 on the CPU."""
    import torch

    if not device.startswith("cuda"):
        return torch.float32
    if prefer == "bfloat16" and not torch.cuda.is_bf16_supported():
        return torch.float16
    return getattr(torch, prefer)


def seed_everything(seed: int | None) -> None:
    if seed is None:
        return
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def to_float32_mono(audio: Any) -> np.ndarray:
    """A tensor, array or list of samples (any leading batch/channel axes, int16 or float)
    as contiguous float32 mono samples in [-1, 1]."""
    if hasattr(audio, "detach"):
        audio = audio.detach().float().cpu().numpy()
    arr = np.asarray(audio)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32) / 32768.0
    arr = np.squeeze(arr.astype(np.float32, copy=False))
    if arr.ndim > 1:  # channels: the shorter axis
        arr = arr.mean(axis=int(np.argmin(arr.shape)))
    arr = np.nan_to_num(arr.reshape(-1))
    return np.ascontiguousarray(np.clip(arr, -1.0, 1.0), dtype=np.float32)


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target or len(audio) == 0:
        return audio.astype(np.float32)
    n = round(len(audio) * target / rate)
    return np.interp(np.linspace(0, len(audio) - 1, n), np.arange(len(audio)),
                     audio).astype(np.float32)


def read_audio(path: Path | str, target_rate: int | None = None) -> tuple[np.ndarray, int]:
    """A reference recording as float32 mono (resampled to `target_rate` if given)."""
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1)
    if target_rate:
        return resample(mono, rate, target_rate), target_rate
    return mono, rate


class HubEngine(TTSModelBase):
    """A TTSModelBase whose weights come from one Hugging Face repo.

    The shared steps are template methods, so an adapter writes only what is its own:
    `load` finds the weights and checks the device, then calls `load_weights(folder, device)`
    (a failure there drops whatever it had built); `generate` checks the model is loaded and
    seeds the generators, then calls `synthesize(request)`; `stream_generate` does the same
    around `synthesize_stream(request, cancel)` when the adapter streams natively, and streams
    sentence by sentence otherwise.

    Subclasses list the attributes holding weights in `_held`; `unload()` drops them all.
    `from_parts(...)` builds a loaded engine around objects made elsewhere (a tiny random model
    in the tests, a model shared by a caller) and runs the same generate code as `load()`.
    """

    hf_repo: ClassVar[str] = ""
    _held: ClassVar[tuple[str, ...]] = ("model",)
    voices: ClassVar[tuple[Voice, ...]] = ()

    def __init__(self, options: Mapping[str, Any] | None = None,
                 runtime: Runtime | None = None) -> None:
        super().__init__(options, runtime)
        for name in self._held:
            setattr(self, name, None)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @classmethod
    def builtin_voices(cls) -> list[Voice]:
        return list(cls.voices) or [Voice(id="default", name="Default")]

    @classmethod
    def from_parts(cls, device: str = "cpu", options: Mapping[str, Any] | None = None,
                   runtime: Runtime | None = None, **parts: Any) -> Any:
        engine = cls(options, runtime)
        unknown = set(parts) - set(cls._held)
        if unknown:
            raise TypeError(f"{cls.__name__} holds {cls._held}, not {sorted(unknown)}")
        for name, value in parts.items():
            setattr(engine, name, value)
        engine.device = device
        return engine

    def weights_dir(self) -> Path:
        """The local folder of the weights (`model_dir` option overrides the hub repo)."""
        return self.snapshot(self.options.get("repo") or self.hf_repo,
                             self.options.get("model_dir"))

    def snapshot(self, repo: str, local_dir: str | Path | None = None) -> Path:
        """Another repo the engine needs (a codec, a vocoder), from the same cache."""
        return snapshot_dir(repo, self.settings, local_dir)

    # templates -----------------------------------------------------------------------------
    def load(self, device: str = "cpu") -> None:
        folder = self.weights_dir()
        device = torch_device(device)
        try:
            self.load_weights(folder, device)
        except BaseException:
            self.unload()  # nothing half-built stays referenced (or on the device)
            raise
        self.device = device

    def load_weights(self, folder: Path, device: str) -> None:
        """Build the model from `folder` on `device` into the `_held` attributes."""
        raise NotImplementedError

    def generate(self, request: GenerateRequest) -> GenerateResult:
        self.require_loaded()
        seed_everything(request.seed)
        return self.synthesize(request)

    def synthesize(self, request: GenerateRequest) -> GenerateResult:
        """The whole text at once (the model is loaded and seeded)."""
        raise NotImplementedError

    def stream_generate(self, request: GenerateRequest,
                        cancel: CancelSignal | None = None) -> Iterator[AudioChunk]:
        cancel = cancel if cancel is not None else never()
        if type(self).synthesize_stream is HubEngine.synthesize_stream:
            yield from super().stream_generate(request, cancel)
            return
        cancel.check()
        self.require_loaded()
        if request.spoken is not None:  # native streaming takes the whole text at once
            request = replace(request, text=request.spoken.whole(request.text), spoken=None)
        seed_everything(request.seed)
        yield from self.synthesize_stream(request, cancel)

    def synthesize_stream(self, request: GenerateRequest,
                          cancel: CancelSignal) -> Iterator[AudioChunk]:
        """Native streaming, for engines that have it: chunks as the model makes them, stopping
        (`cancel.check()`, or the backend told to stop) within a step once `cancel` is set."""
        raise NotImplementedError

    def unload(self) -> None:
        for name in self._held:
            setattr(self, name, None)
        self.device = None

    def clone_voice(self, audio_path: Path, name: str) -> dict[str, Any]:
        """Cloning engines condition on the recording at generation time (reference_audio):
        nothing to precompute; the file must exist."""
        if not self.supports_voice_cloning:
            return super().clone_voice(audio_path, name)
        if not Path(audio_path).is_file():
            raise InvalidRequestError(f"reference audio {audio_path} not found")
        return {"name": name, "model_id": self.model_id, "reference_audio": str(audio_path)}

    def require_reference(self, request: GenerateRequest, transcript: bool = False) -> None:
        if request.reference_audio is None:
            return
        if not Path(request.reference_audio).is_file():
            raise InvalidRequestError(f"reference audio {request.reference_audio} not found")
        if transcript and not (request.reference_text or "").strip():
            raise InvalidRequestError(f"model '{self.model_id}' needs the transcript of the "
                                      "reference audio (reference_text) to clone a voice")
