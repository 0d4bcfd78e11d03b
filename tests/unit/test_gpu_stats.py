"""/api/system/gpu's figures through NVML, with a stand-in for the driver's library."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest

from openspeakers import gpu
from openspeakers.config import Settings


class NVMLError(Exception):
    pass


@dataclass
class Memory:
    used: int
    total: int


def fake_pynvml(devices: list[tuple[str, int, int, int | None]], fail_init: bool = False
                ) -> types.ModuleType:
    """A pynvml with `devices` as (name, used bytes, total bytes, utilisation or None)."""
    module = types.ModuleType("pynvml")
    module.NVMLError = NVMLError  # type: ignore[attr-defined]
    calls: list[str] = []

    def init() -> None:
        calls.append("init")
        if fail_init:
            raise NVMLError("Driver/library version mismatch")

    def utilization(index: int) -> object:
        busy = devices[index][3]
        if busy is None:
            raise NVMLError("not supported")
        return types.SimpleNamespace(gpu=busy)

    module.nvmlInit = init  # type: ignore[attr-defined]
    module.nvmlShutdown = lambda: calls.append("shutdown")  # type: ignore[attr-defined]
    module.nvmlDeviceGetCount = lambda: len(devices)  # type: ignore[attr-defined]
    module.nvmlDeviceGetHandleByIndex = lambda i: i  # type: ignore[attr-defined]
    module.nvmlDeviceGetMemoryInfo = (  # type: ignore[attr-defined]
        lambda i: Memory(devices[i][1], devices[i][2]))
    module.nvmlDeviceGetUtilizationRates = utilization  # type: ignore[attr-defined]
    module.nvmlDeviceGetName = lambda i: devices[i][0].encode()  # type: ignore[attr-defined]
    module.calls = calls  # type: ignore[attr-defined]
    return module


@pytest.fixture(autouse=True)
def _fresh_totals() -> None:
    gpu.device_total_gb.cache_clear()


def test_every_device_is_reported_with_its_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    nvml = fake_pynvml([("NVIDIA H200", 2 * 2**30, 141 * 2**30, 37),
                        ("NVIDIA L4", 0, 24 * 2**30, None)])
    monkeypatch.setitem(sys.modules, "pynvml", nvml)
    monkeypatch.setattr(gpu, "cuda_device_present", lambda: True)
    stats = gpu.gpu_stats()
    assert stats.available and stats.message == "2 NVIDIA GPU(s)"
    first, second = stats.devices
    assert (first.index, first.name, first.memory_used_mb, first.memory_total_mb,
            first.utilization_percent) == (0, "NVIDIA H200", 2048, 141 * 1024, 37)
    assert second.name == "NVIDIA L4" and second.utilization_percent is None
    assert nvml.calls == ["init", "shutdown"]  # type: ignore[attr-defined]
    assert gpu.vram_budget_gb(Settings(_env_file=None, gpu_device_id=1)) == 24  # type: ignore[call-arg]
    assert gpu.vram_budget_gb(Settings(_env_file=None, gpu_vram_gb=10)) == 10  # type: ignore[call-arg]


def test_nvml_that_cannot_start_is_a_plain_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml([], fail_init=True))
    monkeypatch.setattr(gpu, "cuda_device_present", lambda: True)
    stats = gpu.gpu_stats()
    assert not stats.available and stats.devices == []
    assert "NVML failed to start: Driver/library version mismatch" in stats.message


def test_no_driver_means_cpu_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gpu, "cuda_device_present", lambda: False)
    stats = gpu.gpu_stats()
    assert not stats.available and "CPU only" in stats.message
    assert gpu.vram_budget_gb(Settings(_env_file=None)) is None  # type: ignore[call-arg]
