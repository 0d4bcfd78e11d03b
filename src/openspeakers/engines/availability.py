"""Can an engine run here, and if not, exactly why: checked without importing the engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from openspeakers.engines.registry import ModelSpec, module_available

_NVIDIA_PROC = Path("/proc/driver/nvidia/gpus")


@dataclass(frozen=True)
class Availability:
    available: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None


@lru_cache
def cuda_device_present() -> bool:
    """An NVIDIA driver with at least one GPU; read from /proc so no CUDA context is made."""
    return _NVIDIA_PROC.is_dir() and any(_NVIDIA_PROC.iterdir())


def hub_weights_cached(repo: str, cache_dir: Path) -> bool:
    """True when `repo` has a downloaded snapshot in the Hugging Face cache layout."""
    snapshots = cache_dir / f"models--{repo.replace('/', '--')}" / "snapshots"
    return snapshots.is_dir() and any(p.is_dir() and any(p.iterdir()) for p in
                                      snapshots.iterdir())


def check(spec: ModelSpec, cache_dir: Path) -> Availability:
    reasons: list[str] = []
    if not spec.enabled:
        reasons.append("disabled in configs/models.yaml")
    missing = [name for name in spec.requires if not module_available(name)]
    if missing:
        how = (f"pip install 'openspeakers[{spec.extra}]'" if spec.extra
               else "reinstall openspeakers")
        reasons.append(f"extra not installed (missing {', '.join(missing)}): {how}")
    elif not module_available(spec.adapter.partition(":")[0]):
        reasons.append(f"adapter {spec.adapter} is not part of this build")
    if spec.hf_repo and not hub_weights_cached(spec.hf_repo, cache_dir):
        reasons.append(f"weights not in cache: download '{spec.hf_repo}' into MODEL_CACHE_DIR "
                       f"({cache_dir}), e.g. `hf download {spec.hf_repo} --cache-dir {cache_dir}`")
    if spec.device == "cuda" and not cuda_device_present():
        reasons.append("no CUDA device: this engine needs an NVIDIA GPU")
    return Availability(not reasons, tuple(reasons))
