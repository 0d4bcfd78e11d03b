"""GPU figures through NVML when an NVIDIA driver is present; a plain answer when not."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from openspeakers.schemas import GpuDeviceOut, GpuOut

if TYPE_CHECKING:
    from openspeakers.config import Settings

_MB = 1024 * 1024
_NVIDIA_PROC = Path("/proc/driver/nvidia/gpus")


@lru_cache
def cuda_device_present() -> bool:
    """An NVIDIA driver with at least one GPU; read from /proc so no CUDA context is made."""
    return _NVIDIA_PROC.is_dir() and any(_NVIDIA_PROC.iterdir())


def gpu_stats() -> GpuOut:
    if not cuda_device_present():
        return GpuOut(available=False, devices=[],
                      message="no GPU: no NVIDIA driver or device found; running on CPU only")
    try:
        import pynvml  # nvidia-ml-py, a dependency of openspeakers
    except ImportError:
        return GpuOut(available=False, devices=[], message="an NVIDIA GPU is present but "
                      "nvidia-ml-py is not installed (pip install nvidia-ml-py)")
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as exc:
        return GpuOut(available=False, devices=[],
                      message=f"an NVIDIA GPU is present but NVML failed to start: {exc}")
    try:
        devices = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            try:
                utilization: float | None = pynvml.nvmlDeviceGetUtilizationRates(handle).gpu
            except pynvml.NVMLError:
                utilization = None
            name = pynvml.nvmlDeviceGetName(handle)
            devices.append(GpuDeviceOut(
                index=index, name=name.decode() if isinstance(name, bytes) else name,
                memory_used_mb=memory.used / _MB, memory_total_mb=memory.total / _MB,
                utilization_percent=utilization))
    finally:
        pynvml.nvmlShutdown()
    return GpuOut(available=bool(devices), devices=devices,
                  message=f"{len(devices)} NVIDIA GPU(s)")


@lru_cache(maxsize=8)
def device_total_gb(index: int) -> float | None:
    """Total memory of one GPU in GB, or None without a GPU (or without NVML); read once."""
    stats = gpu_stats()
    for device in stats.devices:
        if device.index == index:
            return device.memory_total_mb / 1024
    return None


def vram_budget_gb(settings: Settings) -> float | None:
    """The GPU memory engines may use: GPU_VRAM_GB when set, else the total of GPU_DEVICE_ID
    (read once per process); None without a GPU."""
    return settings.gpu_vram_gb or device_total_gb(settings.gpu_device_id)
