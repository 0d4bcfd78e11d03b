"""One loaded model per process, shared by workers; ONNX threads chosen with the worker count."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from openspeakers.config import Settings, cpu_count
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.engines.shared import SHARED, SharedModels

OPTIONS = {"onnx_threads": 1, "onnx_mem_arena": False}
TEXT = "Two workers share one voice."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(Settings().models_config)


@pytest.fixture
def workers(registry: Registry) -> Iterator[tuple[ModelManager, ModelManager, FakeClock]]:
    """Two workers of the tts.cpu group, as the local executor builds them."""
    clock = FakeClock()
    pair = [ModelManager(registry, idle_timeout=60.0, clock=clock, engine_options=OPTIONS)
            for _ in range(2)]
    yield pair[0], pair[1], clock
    for manager in pair:
        manager.unload_all()


def test_two_workers_load_one_piper_voice(
        workers: tuple[ModelManager, ModelManager, FakeClock]) -> None:
    first, second, _ = workers
    loads = SHARED.loads
    a = first.load_model("piper")
    b = second.load_model("piper")
    assert SHARED.loads == loads + 1
    assert a is not b and a._voice is b._voice  # two engines (accounting), one model
    assert first.loads == second.loads == 1
    assert first.is_loaded("piper") and second.is_loaded("piper")


def test_both_workers_generate_at_once_from_the_shared_voice(
        workers: tuple[ModelManager, ModelManager, FakeClock]) -> None:
    first, second, _ = workers

    def speak(manager: ModelManager) -> np.ndarray:
        with manager.use("piper") as engine:
            return engine.generate(GenerateRequest(text=TEXT)).audio

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(speak, [first, second, first, second]))
    for audio in results:
        seconds = len(audio) / 22050
        assert 1.0 < seconds < 4.0
        assert np.abs(audio).max() > 0.1  # speech, not silence


def test_idle_unload_of_one_worker_keeps_the_others_model(
        workers: tuple[ModelManager, ModelManager, FakeClock]) -> None:
    first, second, clock = workers
    first.load_model("piper")
    clock.now += 30
    second.load_model("piper")
    key = second._loaded["piper"]._key
    assert SHARED.holders(key) == 2
    clock.now += 40  # the first worker's use is 70 s old, the second's 40 s
    assert first.unload_idle() == ["piper"]
    assert second.unload_idle() == []
    assert not first.is_loaded("piper") and first.current_model_id is None
    assert second.is_loaded("piper") and second.states()["piper"].loaded
    assert SHARED.holders(key) == 1
    with second.use("piper") as engine:  # still works: the voice was not freed under it
        assert len(engine.generate(GenerateRequest(text=TEXT)).audio) > 22050
    clock.now += 61
    assert second.unload_idle() == ["piper"]
    assert SHARED.holders(key) == 0
    loads = SHARED.loads
    first.load_model("piper")  # loads again after the last holder let go
    assert SHARED.loads == loads + 1


def test_the_session_gets_the_configured_threads_and_arena(
        workers: tuple[ModelManager, ModelManager, FakeClock]) -> None:
    engine = workers[0].load_model("piper")
    options = engine._voice.session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.enable_cpu_mem_arena is False


def test_concurrent_acquires_load_once_and_wait_for_the_load() -> None:
    shared = SharedModels()
    release = threading.Event()
    calls: list[int] = []

    def loader() -> object:
        calls.append(1)
        release.wait(30)
        return object()

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(shared.acquire, "model", loader) for _ in range(3)]
        release.set()
        values = [future.result(30) for future in futures]
    assert len(calls) == 1
    assert values[0] is values[1] is values[2]
    assert shared.holders("model") == 3
    assert [shared.release("model") for _ in range(3)] == [False, False, True]


def test_a_failed_load_is_not_kept() -> None:
    shared = SharedModels()

    def broken() -> object:
        raise OSError("weights missing")

    with pytest.raises(OSError, match="weights missing"):
        shared.acquire("model", broken)
    assert shared.holders("model") == 0
    assert shared.acquire("model", lambda: "loaded") == "loaded"


def test_default_onnx_threads_fill_the_cores_once() -> None:
    cores = cpu_count()
    for workers in (1, 2, 4, 16):
        settings = Settings(cpu_workers=workers, _env_file=None)  # type: ignore[call-arg]
        threads = settings.resolved_onnx_threads
        assert threads == max(1, cores // workers)
        assert workers * threads <= max(cores, workers)  # never more compute threads than cores
    explicit = Settings(cpu_workers=2, onnx_threads=3, _env_file=None)  # type: ignore[call-arg]
    assert explicit.engine_options == {"onnx_threads": 3, "onnx_mem_arena": False}


def test_two_workers_share_one_kokoro_model(registry: Registry) -> None:
    pair = [ModelManager(registry, engine_options=OPTIONS) for _ in range(2)]
    try:
        loads = SHARED.loads
        engines = [manager.load_model("kokoro") for manager in pair]
        assert SHARED.loads == loads + 1
        assert engines[0]._kokoro is engines[1]._kokoro
        audio = engines[1].generate(GenerateRequest(text=TEXT, voice="jf_alpha")).audio
        assert len(audio) > 24000 and np.abs(audio).max() > 0.05
    finally:
        for manager in pair:
            manager.unload_all()
