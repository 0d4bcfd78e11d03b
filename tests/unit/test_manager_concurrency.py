"""ModelManager and RedisArbiter under concurrency: waiting for VRAM without the manager's
lock, failed loads, states() during unloads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from openspeakers.config import Settings
from openspeakers.engines import manager as manager_module
from openspeakers.engines.arbiter import RedisArbiter
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.runtime import Runtime
from tests.conftest import REDIS_URL, redis_namespace
from tests.unit.fake_engines import HalfLoads

WAIT = 60.0
REGISTRY = """
models:
  a-standby: {name: A standby, adapter: "tests.unit.fake_engines:Mumbler", group: a,
              device: cuda, standby: true, vram_gb: 4}
  a-big: {name: A big, adapter: "tests.unit.fake_engines:Mumbler", group: a, device: cuda,
          vram_gb: 5}
  b-standby: {name: B standby, adapter: "tests.unit.fake_engines:Mumbler", group: b,
              device: cuda, standby: true, vram_gb: 4}
  b-big: {name: B big, adapter: "tests.unit.fake_engines:Mumbler", group: b, device: cuda,
          vram_gb: 5}
  half-loads: {name: Half loads, adapter: "tests.unit.fake_engines:HalfLoads", group: a,
               device: cuda, vram_gb: 3}
  cpu-standby: {name: CPU standby, adapter: "tests.unit.fake_engines:Mumbler", group: a,
                standby: true}
  fragile: {name: Fragile, adapter: "tests.unit.fake_engines:Fragile", group: a}
  fragile-too: {name: Fragile too, adapter: "tests.unit.fake_engines:Fragile", group: a}
"""


@pytest.fixture
def registry(tmp_path: Path, settings: Settings) -> Registry:
    path = tmp_path / "models.yaml"
    path.write_text(REGISTRY)
    return load_registry(path, Runtime(settings))


@pytest.fixture
def client() -> Iterator[tuple[redis.Redis, str]]:
    with redis_namespace() as broker:
        yield redis.Redis.from_url(REDIS_URL), broker["REDIS_PREFIX"]


def _arbiter(client: tuple[redis.Redis, str], worker: str) -> RedisArbiter:
    return RedisArbiter(client[0], prefix=client[1], device=0, budget_gb=10, worker=worker,
                        ttl=60, timeout=WAIT, poll=0.02)


def _heartbeat(manager: ModelManager, stop: threading.Event) -> threading.Thread:
    """What a Celery worker's heartbeat does for memory, run often."""
    thread = threading.Thread(target=lambda: [manager.relieve() for _ in iter(
        lambda: stop.wait(0.02), True)], daemon=True)
    thread.start()
    return thread


def _run(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_two_workers_waiting_for_vram_both_get_it(registry: Registry,
                                                  client: tuple[redis.Redis, str]) -> None:
    """Each worker holds a 4 GB standby model in a 10 GB budget and wants 5 GB more. Neither
    fits until the other frees its standby model; each frees it from its heartbeat, which works
    while its own job waits (the wait holds no manager lock)."""
    a = ModelManager(registry, arbiter=_arbiter(client, "A"))
    b = ModelManager(registry, arbiter=_arbiter(client, "B"))
    a.preload_standby("a")
    b.preload_standby("b")
    assert a.arbiter.held_gb() + b.arbiter.held_gb() == 8  # type: ignore[attr-defined]
    stop = threading.Event()
    beats = [_heartbeat(a, stop), _heartbeat(b, stop)]
    generated: list[str] = []
    errors: list[BaseException] = []

    def job(manager: ModelManager, model_id: str) -> None:
        with manager.use(model_id) as engine:
            if len(engine.generate(GenerateRequest("Hi.")).audio):
                generated.append(model_id)

    try:
        jobs = [_run(lambda: job(a, "a-big"), errors), _run(lambda: job(b, "b-big"), errors)]
        for thread in jobs:
            thread.join(WAIT * 2)
        assert errors == [] and sorted(generated) == ["a-big", "b-big"]
    finally:
        stop.set()
        for thread in beats:
            thread.join(WAIT)
    held = a.arbiter.held_gb() + b.arbiter.held_gb()  # type: ignore[attr-defined]
    assert held <= 10  # the budget was never overbooked at the end either
    a.unload_all()
    b.unload_all()


def test_states_answer_while_a_load_waits_for_memory(registry: Registry,
                                                     client: tuple[redis.Redis, str]) -> None:
    holder = _arbiter(client, "holder")
    holder.acquire("elsewhere", 8)  # another worker holds 8 of 10 GB
    manager = ModelManager(registry, arbiter=_arbiter(client, "A"))
    manager.load_model("cpu-standby")  # stays through swaps; no memory reserved
    errors: list[BaseException] = []
    waiting = _run(lambda: manager.load_model("a-big"), errors)
    while not holder.wanted_by_other():
        waiting.join(0.02)
    # the waiting load holds no lock: the models page and the heartbeat still get through
    assert set(manager.states()) == {"cpu-standby"}
    assert manager.unload_unused() == ["cpu-standby"]
    holder.release("elsewhere")
    waiting.join(WAIT)
    assert errors == [] and manager.is_loaded("a-big")
    manager.unload_all()


def test_a_failed_load_gives_back_the_memory_and_what_it_built(
        registry: Registry, client: tuple[redis.Redis, str]) -> None:
    arbiter = _arbiter(client, "A")
    manager = ModelManager(registry, arbiter=arbiter)
    HalfLoads.unloads.clear()
    with pytest.raises(RuntimeError, match="out of memory while loading"):
        manager.load_model("half-loads")
    assert HalfLoads.unloads == ["unload"]  # the partial model was dropped
    assert arbiter.held_gb() == 0 and arbiter.held == {}
    assert manager.states() == {} and not manager.is_loaded("half-loads")
    assert client[0].get(f"{client[1]}gpu:0:held:A") is None  # nothing booked in Redis either
    manager.load_model("a-big")  # the next load is not blocked by anything left behind
    assert arbiter.held == {"a-big": 5}
    manager.unload_all()


def test_states_are_consistent_while_models_swap_and_unload(registry: Registry) -> None:
    """Hammer states() while two threads swap and unload models whose memory figure fails once
    they are unloading: every snapshot lists loaded models with their figures, none fails."""
    manager = ModelManager(registry)
    stop = threading.Event()
    errors: list[BaseException] = []

    def swap() -> None:
        while not stop.is_set():
            manager.load_model("fragile")
            manager.load_model("fragile-too")

    def unload() -> None:
        while not stop.is_set():
            manager.unload_model("fragile")
            manager.unload_model("fragile-too")

    workers = [_run(swap, errors), _run(unload, errors)]
    snapshots = 0
    try:
        while manager.loads < 50 and not errors:  # the models really swap meanwhile
            for state in manager.states().values():
                assert state.loaded and state.device == "cpu" and state.memory_bytes == 4000
            snapshots += 1
    finally:
        stop.set()
        for thread in workers:
            thread.join(WAIT)
    assert errors == [] and snapshots > 0


def test_an_engine_whose_memory_figure_fails_is_listed_without_it(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    manager = ModelManager(registry)
    engine = manager.load_model("fragile")
    monkeypatch.setattr(engine, "memory_bytes", lambda: 1 // 0)
    assert manager.states()["fragile"].memory_bytes is None


def test_the_heartbeat_frees_unused_models_only_when_another_worker_waits(
        registry: Registry, client: tuple[redis.Redis, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manager_module, "cuda_device_present", lambda: True)
    other = _arbiter(client, "other")
    manager = ModelManager(registry, arbiter=_arbiter(client, "A"))
    manager.preload_standby("a")
    assert manager.relieve() == []  # standby, nobody waiting: stays
    other.acquire("filler", 6)
    errors: list[BaseException] = []
    waiter = _run(lambda: other.acquire("wants", 4), errors)
    while not manager.arbiter.wanted_by_other():
        waiter.join(0.02)
    assert sorted(manager.relieve()) == ["a-standby", "cpu-standby"]
    waiter.join(WAIT)
    assert errors == [] and other.held == {"filler": 6, "wants": 4}
