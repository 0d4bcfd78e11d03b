"""The runner with voice profiles and listening checks, on fake engines and a real database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.analysis.service import Analysis
from openspeakers.config import Settings
from openspeakers.db.models import TTSJob
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.engines.availability import Availability, check_here
from openspeakers.engines.base import InvalidRequestError
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import ModelSpec, load_registry
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.runner import run_job
from openspeakers.jobs.service import JobService, JobSpec
from openspeakers.jobs.store import claim
from openspeakers.runtime import Runtime
from openspeakers.voices.refs import reference_path
from openspeakers.voices.service import NewVoice, VoiceService
from tests.audio_files import BECKETT_TEXT, beckett_wav
from tests.unit.fake_engines import CloningProbe, Mumbler, SecondTry

REGISTRY = """
models:
  cloner: {name: Cloner, adapter: "tests.unit.fake_engines:CloningProbe", group: test,
           capabilities: [voice_cloning]}
  mumbler: {name: Mumbler, adapter: "tests.unit.fake_engines:Mumbler", group: test}
  second-try: {name: Second try, adapter: "tests.unit.fake_engines:SecondTry", group: test}
"""


class _NoExecutor:
    """Jobs are run by hand in these tests; the engines run in this process."""

    name = "none"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def enqueue(self, job_id: str, queue: str) -> None:
        pass

    def availability(self, spec: ModelSpec) -> Availability:
        return check_here(spec, self.settings)


@dataclass
class World:
    settings: Settings
    sessions: sessionmaker[Session]
    jobs: JobService
    voices: VoiceService
    manager: ModelManager
    events: EventBus
    analysis: Analysis

    def run(self, spec: JobSpec) -> TTSJob:
        job = self.jobs.submit(spec)
        assert claim(self.sessions, job.id)
        run_job(job.id, sessions=self.sessions, manager=self.manager, events=self.events,
                audio_dir=self.settings.audio_output_dir, cancelled=lambda _: False,
                analysis=self.analysis)
        return self.jobs.get(job.id)


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> World:
    (tmp_path / "models.yaml").write_text(REGISTRY)
    settings = settings.model_copy(update={"models_config": tmp_path / "models.yaml",
                                           "default_model": "cloner"})
    settings.ensure_dirs()
    migrate(settings.resolved_database_url)
    sessions = make_session_factory(make_engine(settings.resolved_database_url))
    registry = load_registry(settings.models_config, Runtime(settings))
    events = EventBus()
    jobs = JobService(sessions=sessions, registry=registry, settings=settings,
                      executor=_NoExecutor(settings), events=events)  # type: ignore[arg-type]
    analysis = Analysis(settings)
    voices = VoiceService(sessions=sessions, settings=settings, jobs=jobs, analysis=analysis)
    for engine in (CloningProbe, Mumbler, SecondTry):
        engine.seen.clear()
    return World(settings, sessions, jobs, voices, ModelManager(registry), events, analysis)


def test_a_cloning_engine_gets_the_reference_and_its_transcript(world: World) -> None:
    profile = world.voices.create(NewVoice(name="Beckett", audio=beckett_wav(),
                                           transcript=BECKETT_TEXT))
    job = world.run(JobSpec(text="Hello there.", model_id="cloner",
                            voice=f"profile:{profile.id}"))
    assert job.status == "complete", job.error
    request = CloningProbe.seen[-1]
    assert request.reference_audio == reference_path(world.settings.voices_dir.resolve(),
                                                     profile.id)
    assert request.reference_audio.is_file()
    assert request.reference_text == BECKETT_TEXT and request.voice is None
    assert job.voice == f"profile:{profile.id}" and job.voice_profile_id == profile.id
    assert job.similarity is not None and -1.0 <= job.similarity < 0.9  # a hum is not Beckett


def test_the_runner_finds_profiles_through_its_own_settings(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No analysis handed to run_job: the one of the registry's runtime (this world's settings)
    is used, never a process-wide one reading ./data/voices."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    profile = world.voices.create(NewVoice(name="Beckett", audio=beckett_wav(),
                                           transcript=BECKETT_TEXT))
    job = world.jobs.submit(JobSpec(text="Hello there.", model_id="cloner",
                                    voice=f"profile:{profile.id}"))
    assert claim(world.sessions, job.id)
    run_job(job.id, sessions=world.sessions, manager=world.manager, events=world.events,
            audio_dir=world.settings.audio_output_dir, cancelled=lambda _: False)
    done = world.jobs.get(job.id)
    assert done.status == "complete", done.error
    assert CloningProbe.seen[-1].reference_audio == reference_path(
        world.settings.voices_dir.resolve(), profile.id)
    assert done.similarity is not None
    assert list(cwd.iterdir()) == []


def test_a_bare_profile_id_works_too(world: World) -> None:
    profile = world.voices.create(NewVoice(name="B", audio=beckett_wav(), transcript="x"))
    job = world.jobs.validate(JobSpec(text="Hi.", model_id="cloner", voice=profile.id))
    assert job.voice == f"profile:{profile.id}"


def test_a_profile_on_an_engine_that_cannot_clone_names_those_that_can(world: World) -> None:
    profile = world.voices.create(NewVoice(name="B", audio=beckett_wav(), transcript="x"))
    with pytest.raises(InvalidRequestError, match="models that can: cloner"):
        world.jobs.validate(JobSpec(text="Hi.", model_id="mumbler",
                                    voice=f"profile:{profile.id}"))
    with pytest.raises(InvalidRequestError, match="no voice profile"):
        world.jobs.validate(JobSpec(text="Hi.", model_id="cloner", voice="profile:" + "0" * 32))


def test_a_deleted_profile_fails_the_job_with_a_reason(world: World) -> None:
    profile = world.voices.create(NewVoice(name="B", audio=beckett_wav(), transcript="x"))
    job = world.jobs.submit(JobSpec(text="Hi.", model_id="cloner",
                                    voice=f"profile:{profile.id}"))
    world.voices.delete(profile.id)
    assert not reference_path(world.settings.voices_dir, profile.id).exists()
    assert claim(world.sessions, job.id)
    run_job(job.id, sessions=world.sessions, manager=world.manager, events=world.events,
            audio_dir=world.settings.audio_output_dir, cancelled=lambda _: False,
            analysis=world.analysis)
    failed = world.jobs.get(job.id)
    assert failed.status == "failed" and "was deleted" in (failed.error or "")


def _events(world: World, job_id: str) -> tuple[list[dict[str, Any]], Any]:
    seen: list[dict[str, Any]] = []
    return seen, world.events.listen(job_id, seen.append)


def test_verify_regenerates_with_another_seed_until_it_is_heard(world: World) -> None:
    text = "The quick brown fox jumps over the lazy dog."
    job = world.jobs.validate(JobSpec(text=text, model_id="second-try", verify=True))
    seen, listening = _events(world, job.id)
    with listening:
        world.jobs.enqueue([job])
        assert claim(world.sessions, job.id)
        run_job(job.id, sessions=world.sessions, manager=world.manager, events=world.events,
                audio_dir=world.settings.audio_output_dir, cancelled=lambda _: False,
                analysis=world.analysis)
    done = world.jobs.get(job.id)
    assert done.status == "complete", done.error
    tries = done.verify_tries or []
    assert [t["seed"] for t in tries] == [None, 1]
    assert tries[0]["wer"] >= 0.8 and tries[1]["wer"] <= 0.25
    assert done.wer == tries[1]["wer"]
    assert [s.seed for s in SecondTry.seen] == [None, 1]
    assert any(e["type"] == "retry" and e["attempt"] == 2 for e in seen)
    assert done.duration_seconds and done.duration_seconds > 1.6  # the spoken take was kept


def test_verify_keeps_the_best_try_when_none_passes(world: World) -> None:
    job = world.run(JobSpec(text="Nothing will be heard here.", model_id="mumbler",
                            verify={"max_wer": 0.1, "max_tries": 2}))
    assert job.status == "complete"
    tries = job.verify_tries or []
    assert [(t["attempt"], t["seed"]) for t in tries] == [(1, None), (2, 1)]
    assert all(t["wer"] >= 0.8 for t in tries) and job.wer == min(t["wer"] for t in tries)
    assert job.parameters["verify"] == {"max_wer": 0.1, "max_tries": 2}
    assert not list(world.settings.audio_output_dir.glob(".*partial"))
