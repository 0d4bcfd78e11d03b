"""ModelManager on the real CPU engines: swapping, standby, idle unloading, the lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from openspeakers.config import Settings
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.runtime import Runtime

IDLE = 60.0
WAIT = 60.0  # generous timeout for anything a thread must reach


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(Settings().models_config)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def manager(registry: Registry, clock: FakeClock) -> Iterator[ModelManager]:
    instance = ModelManager(registry, idle_timeout=IDLE, clock=clock)
    yield instance
    instance.unload_all()


def test_registry_timeouts_are_the_default_for_these_models(registry: Registry) -> None:
    # The idle tests below rely on piper/espeak using the manager's idle_timeout.
    assert registry.get("piper").idle_timeout is None
    assert registry.get("espeak").idle_timeout is None


def test_on_loaded_reports_each_real_load_once(registry: Registry) -> None:
    # A Celery worker beats from this hook, so the models page shows a model while the job
    # that loaded it still runs: it fires once per load, seeing the model already listed.
    seen: list[tuple[str, bool]] = []
    manager = ModelManager(registry, idle_timeout=IDLE)
    manager.on_loaded = lambda model_id: seen.append((model_id, model_id in manager.states()))
    try:
        manager.load_model("espeak")
        with manager.use("espeak"):
            pass
        manager.load_model("piper")
        assert seen == [("espeak", True), ("piper", True)]
    finally:
        manager.unload_all()


def test_load_model_sets_current_and_loaded(manager: ModelManager) -> None:
    assert manager.current_model_id is None
    engine = manager.load_model("piper")
    assert manager.current_model_id == "piper"
    assert manager.is_loaded("piper")
    assert engine.is_loaded
    assert engine.device == "cpu"
    assert manager.loads == 1


def test_loading_another_model_unloads_the_current_one(manager: ModelManager) -> None:
    piper = manager.load_model("piper")
    espeak = manager.load_model("espeak")
    assert not manager.is_loaded("piper")
    assert piper.is_loaded is False
    assert manager.is_loaded("espeak")
    assert espeak.is_loaded
    assert manager.current_model_id == "espeak"
    assert set(manager.states()) == {"espeak"}
    assert manager.loads == 2


def test_standby_model_survives_swaps(manager: ModelManager) -> None:
    kokoro = manager.load_model("kokoro")
    manager.load_model("piper")
    manager.load_model("espeak")
    assert manager.is_loaded("kokoro")
    assert kokoro.is_loaded
    assert manager.load_model("kokoro") is kokoro
    assert not manager.is_loaded("piper")
    assert set(manager.states()) == {"kokoro", "espeak"}
    assert manager.loads == 3


def test_requesting_the_loaded_model_does_not_reload_it(manager: ModelManager) -> None:
    first = manager.load_model("piper")
    assert manager.load_model("piper") is first
    with manager.use("piper") as used:
        assert used is first
        assert used.generate(GenerateRequest("Hello.")).audio.size > 0
    assert manager.loads == 1
    manager.load_model("espeak")
    manager.load_model("piper")
    assert manager.loads == 3


def test_unknown_model_leaves_the_loaded_one_alone(manager: ModelManager) -> None:
    manager.load_model("piper")
    with pytest.raises(LookupError):
        manager.load_model("nope")
    assert manager.is_loaded("piper")
    assert manager.current_model_id == "piper"


def test_idle_unload_after_the_timeout_but_never_standby(manager: ModelManager,
                                                         clock: FakeClock) -> None:
    assert manager.seconds_until_idle() is None
    manager.load_model("kokoro")
    assert manager.seconds_until_idle() is None  # standby never idles out
    piper = manager.load_model("piper")
    assert manager.seconds_until_idle() == pytest.approx(IDLE)
    clock.advance(20)
    assert manager.seconds_until_idle() == pytest.approx(IDLE - 20)
    clock.advance(IDLE - 21)
    assert manager.seconds_until_idle() == pytest.approx(1)
    assert manager.unload_idle() == []
    assert manager.is_loaded("piper")
    clock.advance(1)
    assert manager.seconds_until_idle() == pytest.approx(0)
    assert manager.unload_idle() == ["piper"]
    assert not manager.is_loaded("piper")
    assert piper.is_loaded is False
    assert manager.current_model_id is None
    assert manager.is_loaded("kokoro")
    assert manager.seconds_until_idle() is None
    clock.advance(100_000)
    assert manager.unload_idle() == []
    assert manager.is_loaded("kokoro")


def test_seconds_until_idle_is_never_negative(manager: ModelManager, clock: FakeClock) -> None:
    manager.load_model("piper")
    clock.advance(IDLE * 5)
    assert manager.seconds_until_idle() == 0.0


def test_use_restarts_the_idle_countdown(manager: ModelManager, clock: FakeClock) -> None:
    manager.load_model("piper")
    clock.advance(IDLE - 10)
    with manager.use("piper"):
        clock.advance(5)  # the countdown starts when the job ends
    assert manager.seconds_until_idle() == pytest.approx(IDLE)
    clock.advance(IDLE - 1)
    assert manager.unload_idle() == []
    clock.advance(1)
    assert manager.unload_idle() == ["piper"]


def test_keep_alive_overrides_the_idle_timeout(manager: ModelManager, clock: FakeClock) -> None:
    with manager.use("piper", keep_alive=500):
        pass
    assert manager.seconds_until_idle() == pytest.approx(500)
    clock.advance(IDLE + 1)
    assert manager.unload_idle() == []
    assert manager.is_loaded("piper")
    assert manager.seconds_until_idle() == pytest.approx(500 - IDLE - 1)
    clock.advance(500 - IDLE - 2)
    assert manager.unload_idle() == []
    clock.advance(1)
    assert manager.unload_idle() == ["piper"]
    assert not manager.is_loaded("piper")


def test_a_later_use_without_keep_alive_restores_the_default(manager: ModelManager,
                                                             clock: FakeClock) -> None:
    with manager.use("piper", keep_alive=500):
        pass
    with manager.use("piper"):
        pass
    assert manager.seconds_until_idle() == pytest.approx(IDLE)
    clock.advance(IDLE)
    assert manager.unload_idle() == ["piper"]


def _thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as exc:  # surfaced by the test thread
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_lock_blocks_idle_unload_and_other_models_while_in_use(manager: ModelManager,
                                                               clock: FakeClock) -> None:
    events: list[str] = []
    errors: list[BaseException] = []
    a_inside, a_release, b_starting, b_inside = (threading.Event() for _ in range(4))

    def job_a() -> None:
        with manager.use("piper") as engine:
            a_inside.set()
            assert a_release.wait(WAIT), "test never released job A"
            assert engine.is_loaded  # nothing pulled the model away meanwhile
            events.append("A leaves")

    def job_b() -> None:
        b_starting.set()
        with manager.use("espeak"):
            events.append("B enters")
            b_inside.set()

    try:
        thread_a = _thread(job_a, errors)
        assert a_inside.wait(WAIT), errors

        clock.advance(IDLE * 10)  # piper's countdown is long past due...
        unloaded: list[list[str]] = []
        idle_thread = _thread(lambda: unloaded.append(manager.unload_idle()), errors)
        idle_thread.join(15)  # unload_idle must not wait for the lock
        assert unloaded == [[]]  # ...but A holds the lock
        assert manager.is_loaded("piper")

        thread_b = _thread(job_b, errors)
        assert b_starting.wait(WAIT), errors
        assert not b_inside.wait(0.5)  # B waits for A
        assert events == []
        assert manager.current_model_id == "piper"

        a_release.set()
        thread_a.join(WAIT)
        assert b_inside.wait(WAIT), errors
        thread_b.join(WAIT)
        assert not thread_a.is_alive() and not thread_b.is_alive()
        assert errors == []
        assert events == ["A leaves", "B enters"]
        assert not manager.is_loaded("piper")
        assert manager.current_model_id == "espeak"
    finally:
        a_release.set()  # never leave job A (and the lock) hanging on failure

    # With the lock free, the same call does unload (so the [] above was the lock's doing).
    clock.advance(IDLE)
    assert manager.unload_idle() == ["espeak"]


def test_unload_idle_from_another_thread_works_when_free(manager: ModelManager,
                                                         clock: FakeClock) -> None:
    manager.load_model("piper")
    clock.advance(IDLE)
    result: list[list[str]] = []
    errors: list[BaseException] = []
    _thread(lambda: result.append(manager.unload_idle()), errors).join(WAIT)
    assert errors == []
    assert result == [["piper"]]


def test_preload_standby_of_the_kokoro_group(manager: ModelManager) -> None:
    manager.preload_standby("tts.cpu")
    assert manager.states() == {}
    manager.preload_standby("tts.kokoro")
    assert set(manager.states()) == {"kokoro"}
    assert manager.is_loaded("kokoro")
    assert manager.loads == 1


def test_states_report_device_memory_and_idle_time(manager: ModelManager,
                                                   clock: FakeClock) -> None:
    manager.load_model("kokoro")
    manager.load_model("piper")
    clock.advance(7)
    states = manager.states()
    assert set(states) == {"kokoro", "piper"}
    for model_id in ("kokoro", "piper"):
        state = states[model_id]
        assert state.model_id == model_id
        assert state.loaded is True
        assert state.device == "cpu"
        assert state.memory_bytes is not None and state.memory_bytes > 0
        assert state.idle_seconds == pytest.approx(7)


def test_unload_all_unloads_standby_too(manager: ModelManager) -> None:
    kokoro = manager.load_model("kokoro")
    piper = manager.load_model("piper")
    manager.unload_all()
    assert manager.states() == {}
    assert not kokoro.is_loaded and not piper.is_loaded
    assert manager.current_model_id is None


def test_manager_works_with_the_real_clock(registry: Registry) -> None:
    manager = ModelManager(registry, idle_timeout=0.0)
    try:
        manager.load_model("espeak")
        time.sleep(0.01)
        assert manager.unload_idle() == ["espeak"]
    finally:
        manager.unload_all()


def test_auto_device_follows_the_gpu(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    from openspeakers.engines import manager as manager_module

    manager = ModelManager(registry, gpu_device_id=2)
    spec = registry.get("kokoro-torch")  # device: auto
    monkeypatch.setattr(manager_module, "cuda_device_present", lambda: False)
    assert manager.device_for(spec) == "cpu"
    assert manager.device_for(registry.get("orpheus")) == "cuda:2"
    monkeypatch.setattr(manager_module, "cuda_device_present", lambda: True)
    assert manager.device_for(spec) == "cuda:2"
    assert manager.device_for(registry.get("piper")) == "cpu"


def test_auto_engine_on_the_cpu_reserves_no_gpu_memory(
        registry: Registry, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from openspeakers.engines import manager as manager_module
    from openspeakers.engines.hf import WeightsMissingError

    class Recording:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, float]] = []

        def acquire(self, model_id: str, gb: float) -> None:
            self.calls.append(("acquire", model_id, gb))

        def release(self, model_id: str) -> None:
            self.calls.append(("release", model_id, 0.0))

        def wanted_by_other(self) -> bool:
            return False

    empty = Settings(model_cache_dir=tmp_path, hf_hub_offline=True,  # no weights: loads fail
                     _env_file=None)  # type: ignore[call-arg]
    arbiter = Recording()
    manager = ModelManager(load_registry(empty.models_config, Runtime(empty)), arbiter=arbiter)
    for gpu, reserved in ((False, 0.0), (True, registry.get("kokoro-torch").vram_gb)):
        monkeypatch.setattr(manager_module, "cuda_device_present", lambda gpu=gpu: gpu)
        arbiter.calls.clear()
        with pytest.raises(WeightsMissingError):
            manager.load_model("kokoro-torch")
        # reserved, then handed back when the load failed
        assert arbiter.calls == [("acquire", "kokoro-torch", reserved),
                                 ("release", "kokoro-torch", 0.0)]
