"""A cancel stops the work: the runner, the shared threaded-streaming helper, sentence-level
streaming and vLLM's step loop, on fake models that count what they generate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.audio.encoding import AudioEncoder
from openspeakers.audio.text import split_sentences
from openspeakers.config import Settings
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.engines.availability import Availability
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.orpheus import vllm_tokens
from openspeakers.engines.registry import ModelSpec, load_registry
from openspeakers.engines.threaded import threaded_stream
from openspeakers.jobs import runner
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.runner import partial_path, run_job
from openspeakers.jobs.service import JobService, JobSpec
from openspeakers.jobs.store import claim
from openspeakers.runtime import Cancelled, CancelSignal, Runtime
from tests.unit.fake_engines import Mumbler, TokenCounter

REGISTRY = """
models:
  counter: {name: Counter, adapter: "tests.unit.fake_engines:TokenCounter", group: test,
            capabilities: [streaming]}
  mumbler: {name: Mumbler, adapter: "tests.unit.fake_engines:Mumbler", group: test}
"""


class _Here:
    name = "none"

    def enqueue(self, job_id: str, queue: str) -> None:
        pass

    def availability(self, spec: ModelSpec) -> Availability:
        return Availability(True)


@dataclass
class Jobs:
    settings: Settings
    sessions: sessionmaker[Session]
    service: JobService
    manager: ModelManager

    def run(self, model_id: str, text: str, cancelled: Any = lambda _: False) -> Any:
        job = self.service.submit(JobSpec(text=text, model_id=model_id))
        assert claim(self.sessions, job.id)
        run_job(job.id, sessions=self.sessions, manager=self.manager, events=EventBus(),
                audio_dir=self.settings.audio_output_dir, cancelled=cancelled)
        return self.service.get(job.id)


@pytest.fixture
def jobs(settings: Settings, tmp_path: Path) -> Iterator[Jobs]:
    (tmp_path / "models.yaml").write_text(REGISTRY)
    settings = settings.model_copy(update={"models_config": tmp_path / "models.yaml",
                                           "default_model": "counter"})
    settings.ensure_dirs()
    migrate(settings.resolved_database_url)
    sessions = make_session_factory(make_engine(settings.resolved_database_url))
    registry = load_registry(settings.models_config, Runtime(settings))
    service = JobService(sessions=sessions, registry=registry, settings=settings,
                         executor=_Here(), events=EventBus())  # type: ignore[arg-type]
    manager = ModelManager(registry)
    TokenCounter.fail_at = None
    yield Jobs(settings, sessions, service, manager)
    manager.unload_all()


def _generating() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "counter-generate"]


def test_a_cancel_stops_the_generation_thread_within_one_step(jobs: Jobs) -> None:
    """The executor's flag flips while the model is at token 25: the generation thread sees it
    at its next step, the runner stops, and no thread generates on beside the next job."""
    job = jobs.run("counter", "A long text to cancel.",
                   cancelled=lambda _: TokenCounter.tokens[0] >= 25)
    assert job.status == "cancelled" and job.error == "cancelled while running"
    assert TokenCounter.tokens[0] <= 26  # one step at most after the flag (was: all 2000)
    assert not _generating()  # joined before run_job (and the model's use) ended
    assert not partial_path(jobs.settings.audio_output_dir, job.id).exists()
    following = jobs.run("counter", "The next job.")
    assert following.status == "complete", following.error
    assert TokenCounter.tokens[0] == TokenCounter.MAX_TOKENS


def test_a_backend_failure_fails_the_job_with_its_reason(jobs: Jobs) -> None:
    TokenCounter.fail_at = 35
    job = jobs.run("counter", "Fails midway.")
    assert job.status == "failed"
    assert job.error == "RuntimeError: out of memory at token 35"
    assert not _generating()
    assert not partial_path(jobs.settings.audio_output_dir, job.id).exists()


def test_sentence_level_streaming_checks_before_each_sentence(jobs: Jobs) -> None:
    Mumbler.seen.clear()
    text = " ".join(f"This is sentence number {n}, long enough to stand on its own." for n in
                    ("one", "two", "three", "four"))
    sentences = split_sentences(text)
    assert len(sentences) == 4
    job = jobs.run("mumbler", text, cancelled=lambda _: len(Mumbler.seen) >= 2)
    assert job.status == "cancelled"
    assert [r.text for r in Mumbler.seen] == sentences[:2]  # the third was never started


def test_closing_the_stream_stops_and_joins_the_thread() -> None:
    steps = [0]
    release = threading.Event()

    def produce(emit: Any, stop: CancelSignal) -> None:
        while not stop.is_set():
            steps[0] += 1
            emit(steps[0])
            if steps[0] == 3:
                release.set()

    stream = threaded_stream(produce, CancelSignal(), name="counter-generate")
    assert next(stream) == 1
    release.wait(10)
    stream.close()  # the consumer went away
    stopped_at = steps[0]
    assert not _generating()
    assert steps[0] == stopped_at


def test_a_cancel_raises_cancelled_even_when_the_backend_ends_quietly() -> None:
    cancel = CancelSignal()

    def produce(emit: Any, stop: CancelSignal) -> None:
        emit("first")
        cancel.set()  # the job is cancelled while the model works
        while not stop.is_set():
            pass

    stream = threaded_stream(produce, cancel)
    assert next(stream) == "first"
    with pytest.raises(Cancelled):
        next(stream)


class _FakeVllmEngine:
    """vLLM's LLMEngine as Orpheus drives it: add_request, step (one token per request per
    step, cumulative outputs), abort_request."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.requests: dict[str, list[int]] = {}
        self.steps = 0
        self.aborted: list[str] = []

    def add_request(self, request_id: str, prompt: dict[str, Any], params: Any) -> None:
        self.requests[request_id] = []

    def has_unfinished_requests(self) -> bool:
        return bool(self.requests)

    def step(self) -> list[Any]:
        self.steps += 1
        outputs = []
        for request_id, ids in list(self.requests.items()):
            ids.append(1000 + len(ids))
            done = len(ids) == self.length
            outputs.append(type("Out", (), {
                "request_id": request_id, "finished": done,
                "outputs": [type("Seq", (), {"token_ids": tuple(ids)})()]})())
            if done:
                del self.requests[request_id]
        return outputs

    def abort_request(self, request_ids: list[str]) -> None:
        self.aborted += request_ids
        for request_id in request_ids:
            self.requests.pop(request_id, None)


def test_vllm_tokens_stream_step_by_step_and_a_cancel_aborts() -> None:
    engine = _FakeVllmEngine(length=50)
    cancel = CancelSignal()
    tokens = vllm_tokens(engine, [1, 2, 3], "params", cancel)
    assert [next(tokens) for _ in range(3)] == [1000, 1001, 1002]
    assert engine.steps == 3  # each token as its step makes it, not all 50 at the end
    cancel.set()
    with pytest.raises(Cancelled):
        next(tokens)
    assert engine.steps == 3 and len(engine.aborted) == 1 and not engine.requests


def test_vllm_tokens_abort_when_the_reader_goes_and_not_when_done() -> None:
    engine = _FakeVllmEngine(length=50)
    tokens = vllm_tokens(engine, [1], "params", CancelSignal())
    next(tokens)
    tokens.close()
    assert len(engine.aborted) == 1 and not engine.requests
    done = _FakeVllmEngine(length=5)
    assert list(vllm_tokens(done, [1], "params", CancelSignal())) == [
        1000, 1001, 1002, 1003, 1004]
    assert done.aborted == []


def test_encoder_output_of_a_completed_job_decodes(jobs: Jobs) -> None:
    from openspeakers.audio.encoding import decode

    job = jobs.run("counter", "Everything.")
    assert job.status == "complete", job.error
    audio, rate = decode(jobs.settings.audio_output_dir / job.audio_path)
    chunks = TokenCounter.MAX_TOKENS // TokenCounter.TOKENS_PER_CHUNK
    assert rate == TokenCounter.sample_rate
    assert abs(len(audio) - chunks * int(0.05 * rate)) < rate * 0.05
    assert float(np.abs(audio).max()) > 0.1


def test_the_encoder_is_closed_on_cancel_and_on_failure(jobs: Jobs,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[AudioEncoder] = []

    class Watched(AudioEncoder):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(runner, "AudioEncoder", Watched)
    cancelled = jobs.run("counter", "Cancelled after a few chunks.",
                         cancelled=lambda _: bool(opened))  # once audio is being written
    # past the first second of audio, which levelling holds for a voice it has not heard
    TokenCounter.fail_at = 25 * TokenCounter.TOKENS_PER_CHUNK + 5
    failed = jobs.run("counter", "Fails after a few chunks.")
    assert (cancelled.status, failed.status) == ("cancelled", "failed")
    assert len(opened) == 2 and all(encoder._closed for encoder in opened)
