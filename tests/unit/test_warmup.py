"""Warming after readiness: the default model at once, standby models after the first job;
and the local executor's two CPU workers running jobs on one shared Piper voice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from openspeakers.api.context import AppContext
from openspeakers.audio.encoding import decode
from openspeakers.config import Settings
from openspeakers.engines.shared import SHARED
from openspeakers.jobs.service import JobSpec
from openspeakers.jobs.warmup import Warmup

WAIT = 120.0


def test_default_loads_at_once_and_standby_waits_for_the_first_job() -> None:
    order: list[str] = []
    standby_done = threading.Event()
    warmup = Warmup(default=lambda: order.append("default"),
                    standby=lambda: (order.append("standby"), standby_done.set()),
                    delay=3600, stopping=threading.Event())
    warmup.start()
    assert not standby_done.wait(0.5)  # no job yet, and the delay is an hour
    assert order == ["default"]
    warmup.job_finished()
    assert standby_done.wait(WAIT)
    assert order == ["default", "standby"]


def test_standby_loads_after_the_delay_without_a_job() -> None:
    done = threading.Event()
    Warmup(default=None, standby=done.set, delay=0, stopping=threading.Event()).start()
    assert done.wait(WAIT)


def test_a_failing_default_still_lets_standby_load() -> None:
    done = threading.Event()

    def broken() -> None:
        raise RuntimeError("no weights")

    Warmup(default=broken, standby=done.set, delay=0, stopping=threading.Event()).start()
    assert done.wait(WAIT)


@pytest.fixture
def context(tmp_path: Path) -> Iterator[AppContext]:
    settings = Settings(data_dir=tmp_path / "data", audio_output_dir=tmp_path / "audio",
                        model_cache_dir=tmp_path / "cache", cpu_workers=2,
                        preload_standby=False, _env_file=None)  # type: ignore[call-arg]
    instance = AppContext.build(settings)
    instance.start()
    yield instance
    instance.close()


def test_two_cpu_workers_run_jobs_on_one_warmed_piper_voice(context: AppContext) -> None:
    loads = SHARED.loads
    context.warm()
    jobs = [context.jobs.submit(JobSpec(text=f"Job number {n} is spoken.", model_id="piper",
                                        format="wav")) for n in range(4)]
    for job in jobs:
        context.events.wait_terminal(job.id, timeout=WAIT)
    for job in jobs:
        row = context.jobs.get(job.id)
        assert row.status == "complete", row.error
        audio, rate = decode(context.jobs.audio_path(row))
        assert rate == 22050 and len(audio) / rate > 1.0
    states = context.executor.model_states()["piper"]
    assert all(state.loaded for state in states)
    assert SHARED.loads == loads + 1  # the warm-up's load; both workers used that voice
