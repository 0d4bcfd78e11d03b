"""Can an engine run here, and if not, exactly why: checked without importing the engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openspeakers.engines.registry import ModelSpec, module_available
from openspeakers.gpu import cuda_device_present, vram_budget_gb

if TYPE_CHECKING:
    from openspeakers.config import Settings

__all__ = ["Availability", "check", "check_here", "cuda_device_present", "hub_weights_cached",
           "install_hint"]


@dataclass(frozen=True)
class Availability:
    available: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None


def hub_weights_cached(repo: str, cache_dir: Path) -> bool:
    """True when `repo` has a downloaded snapshot in the Hugging Face cache layout."""
    snapshots = cache_dir / f"models--{repo.replace('/', '--')}" / "snapshots"
    return snapshots.is_dir() and any(p.is_dir() and any(p.iterdir()) for p in
                                      snapshots.iterdir())


def install_hint(spec: ModelSpec) -> str:
    """How to install a missing engine: its queue group's worker environment."""
    if spec.source:
        return (f"its code comes from {spec.source}, not PyPI: `make worker-env "
                f"GROUP={spec.group} SOURCE=1`")
    if spec.extra:
        return (f"`make worker-env GROUP={spec.group}` builds its environment (or "
                f"`pip install 'openspeakers[{spec.extra}]'` beside torch==2.13.0)")
    return "reinstall openspeakers"


def check(spec: ModelSpec, cache_dir: Path, vram_budget_gb: float | None = None) -> Availability:
    """`vram_budget_gb`: the GPU memory engines may use (gpu.vram_budget_gb), if known."""
    reasons: list[str] = []
    if not spec.enabled:
        reasons.append("disabled in configs/models.yaml")
    missing = [name for name in spec.requires if not module_available(name)]
    if missing:
        reasons.append(f"extra not installed (missing {', '.join(missing)}): "
                       f"{install_hint(spec)}")
    elif not module_available(spec.adapter.partition(":")[0]):
        reasons.append(f"adapter {spec.adapter} is not part of this build")
    if spec.hf_repo and not hub_weights_cached(spec.hf_repo, cache_dir):
        reasons.append(f"weights not in cache: download '{spec.hf_repo}' into MODEL_CACHE_DIR "
                       f"({cache_dir}), e.g. `hf download {spec.hf_repo} --cache-dir {cache_dir}`")
    if spec.device == "cuda" and not cuda_device_present():
        reasons.append("no CUDA device: this engine needs an NVIDIA GPU")
    elif (spec.device == "cuda" and vram_budget_gb is not None
          and spec.vram_gb > vram_budget_gb):
        reasons.append(f"not enough GPU memory: needs about {spec.vram_gb:g} GB, "
                       f"{vram_budget_gb:.1f} GB available (GPU_VRAM_GB or the device total)")
    return Availability(not reasons, tuple(reasons))


def check_here(spec: ModelSpec, settings: Settings) -> Availability:
    """`check` with this process's settings: MODEL_CACHE_DIR and the GPU memory budget."""
    return check(spec, settings.model_cache_dir, vram_budget_gb(settings))
