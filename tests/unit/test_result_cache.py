"""The result cache: what its key covers, eviction by size, clear, path safety, and a repeated
request answered by the job service with the same bytes and no worker (local executor, real
Piper). The HTTP side (X-Cache, /v1 streaming, Celery) is in tests/api/test_result_cache.py."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.audio.encoding import decode
from openspeakers.config import Settings
from openspeakers.db.models import TTSJob
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.engines.base import GenerateRequest, GenerateResult
from openspeakers.engines.registry import load_registry
from openspeakers.engines.sentence_cache import SentenceCache
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.local import LocalExecutor
from openspeakers.jobs.result_cache import ResultCache, cache_key
from openspeakers.jobs.service import JobService, JobSpec
from openspeakers.runtime import Runtime
from tests.helpers import transcribe, word_error_rate

KEY = "ab" * 32


def _job(**changes: Any) -> TTSJob:
    values: dict[str, Any] = {
        "id": "0" * 32, "model_id": "piper", "voice": "en_US-joe-medium", "text": "Sure.",
        "output_format": "wav", "voice_profile_id": None,
        "parameters": {"speed": 1.0, "tempo": 1.0, "pitch": 1.0, "engine": {}}}
    parameters = changes.pop("parameters", {})
    values.update(changes)
    values["parameters"] = {**values["parameters"], **parameters}
    return TTSJob(**values)


def test_the_key_changes_with_everything_that_shapes_the_audio() -> None:
    base = cache_key(_job())
    assert base is not None and len(base) == 64
    assert cache_key(_job()) == base  # stable
    assert cache_key(_job(id="1" * 32)) == base  # the job's own id is no part of it
    different = [
        _job(voice="en_US-amy-medium"), _job(output_format="mp3"), _job(text="Sure!"),
        _job(model_id="kokoro"), _job(voice_profile_id="f" * 32),
        _job(parameters={"speed": 1.5}), _job(parameters={"tempo": 1.5}),
        _job(parameters={"pitch": 1.2}), _job(parameters={"language": "en-gb"}),
        _job(parameters={"instructions": "whisper"}),
        _job(parameters={"engine": {"noise_scale": 0.5}}),
        # options other features store in parameters count without this module knowing them
        _job(parameters={"normalize": False}), _job(parameters={"normalize_loudness": False}),
    ]
    keys = [cache_key(job) for job in different]
    assert None not in keys and base not in keys and len(set(keys)) == len(keys)


def test_the_lexicon_of_the_model_is_part_of_the_key() -> None:
    from openspeakers.text.lexicon import Entry

    plain = cache_key(_job())
    with_entry = cache_key(_job(), [Entry("Sure", replacement="Shore")])
    assert with_entry not in (None, plain)
    assert cache_key(_job(), [Entry("Sure", replacement="Shure")]) != with_entry
    assert cache_key(_job(), [Entry("b", "x"), Entry("a", "y")]) == cache_key(
        _job(), [Entry("a", "y"), Entry("b", "x")])  # the order entries come in does not count


def test_keep_alive_does_not_change_the_key_and_some_jobs_are_never_cached() -> None:
    assert cache_key(_job(parameters={"keep_alive": 300})) == cache_key(_job())
    assert cache_key(_job(parameters={"cache": False})) is None
    assert cache_key(_job(parameters={"verify": {"max_wer": 0.2, "max_tries": 3}})) is None
    assert cache_key(_job(parameters={"task": "voice_match"})) is None


def _put(cache: ResultCache, tmp: Path, key: str, size: int) -> None:
    source = tmp / f"{key}.src"
    source.write_bytes(os.urandom(size))
    cache.put(key, "wav", source, sample_rate=22050, duration=1.0)


def test_eviction_keeps_the_size_under_the_limit_least_recently_used_first(tmp_path: Path
                                                                           ) -> None:
    cache = ResultCache(tmp_path / "cache", max_bytes=25_000)
    keys = [f"{i:02x}" * 32 for i in range(4)]
    for key in keys[:2]:
        _put(cache, tmp_path, key, 10_000)
        time.sleep(0.02)
    assert cache.get(keys[0], "wav") is not None  # touched: now the most recently used
    time.sleep(0.02)
    _put(cache, tmp_path, keys[2], 10_000)  # 30 000 > 25 000: the least recently used goes
    stats = cache.stats()
    assert stats.bytes <= 25_000 and stats.entries == 2
    assert cache.get(keys[1], "wav") is None
    assert cache.get(keys[0], "wav") is not None and cache.get(keys[2], "wav") is not None
    assert not list((tmp_path / "cache").glob(f"*/{keys[1]}.*"))  # metadata gone with it


def test_clear_empties_the_cache(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache", max_bytes=10**6)
    for i in range(3):
        _put(cache, tmp_path, f"{i:02x}" * 32, 1000)
    removed = cache.clear()
    assert (removed.entries, removed.bytes) == (3, 3000)
    assert cache.stats().entries == 0
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


@pytest.mark.parametrize(("key", "fmt"), [
    ("../" * 10 + "etc/passwd", "wav"), ("/etc/passwd", "wav"), (KEY.upper(), "wav"),
    (KEY[:-1] + "/", "wav"), (KEY, "../../x"), (KEY, "wav/../../x")])
def test_nothing_outside_the_cache_directory_can_be_named(tmp_path: Path, key: str,
                                                          fmt: str) -> None:
    cache = ResultCache(tmp_path / "cache", max_bytes=10**6)
    source = tmp_path / "audio.wav"
    source.write_bytes(b"RIFF")
    with pytest.raises(ValueError, match="not a"):
        cache.get(key, fmt)
    with pytest.raises(ValueError, match="not a"):
        cache.put(key, fmt, source, sample_rate=1, duration=1.0)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*"))


def test_the_sentence_cache_returns_the_same_audio_and_stays_in_its_bounds() -> None:
    cache = SentenceCache(max_bytes=3 * 4000, max_chars=20)
    request = GenerateRequest("Sure.", voice="a")
    key = cache.key("piper", request)
    assert key is not None
    assert cache.key("piper", GenerateRequest("Sure.", voice="b")) != key
    assert cache.key("kokoro", request) != key
    assert cache.key("piper", GenerateRequest("A sentence far too long to keep.")) is None
    assert cache.key("piper", GenerateRequest("Sure.", reference_audio=Path("x.wav"))) is None
    audio = np.linspace(-1, 1, 1000, dtype=np.float32)
    cache.put(key, GenerateResult(audio, 22050))
    hit = cache.get(key)
    assert hit is not None and np.array_equal(hit.audio, audio) and hit.sample_rate == 22050
    for i in range(5):  # 4000 bytes each; the limit holds three
        cache.put(f"k{i}", GenerateResult(audio, 22050))
    stats = cache.stats()
    assert stats.bytes <= 3 * 4000 and stats.entries == 3 and cache.get(key) is None


def test_a_stream_repeating_a_sentence_generates_it_once(settings: Settings) -> None:
    settings = settings.model_copy(update={"sentence_cache_max_bytes": 1024 ** 2})
    registry = load_registry(settings.models_config, Runtime(settings))
    engine = registry.get("piper").create()
    engine.load("cpu")
    calls: list[str] = []
    generate = engine.generate

    def counted(request: GenerateRequest) -> GenerateResult:
        calls.append(request.text)
        return generate(request)

    engine.generate = counted  # type: ignore[method-assign]
    first = list(engine.stream_generate(GenerateRequest("Sure. Let me look.")))
    second = list(engine.stream_generate(GenerateRequest("Sure. One moment.")))
    assert calls == ["Sure.", "Let me look.", "One moment."]  # "Sure." said once
    assert np.array_equal(first[0].audio, second[0].audio)
    engine.unload()


# the job service with the local executor ------------------------------------------------------
REGISTRY = """
models:
  piper: {name: Piper, adapter: "openspeakers.engines.piper:PiperEngine", group: tts.cpu,
          device: cpu, parallel: true, standby: false}
"""


class CountingExecutor(LocalExecutor):
    """The local executor, counting the jobs handed to its workers."""

    enqueued: list[str]

    def enqueue(self, job_id: str, queue: str) -> None:
        self.enqueued.append(job_id)
        super().enqueue(job_id, queue)


@dataclass
class World:
    settings: Settings
    sessions: sessionmaker[Session]
    service: JobService
    executor: CountingExecutor

    def generate(self, text: str, **spec: Any) -> TTSJob:
        job = self.service.submit(JobSpec(text=text, model_id="piper", **spec))
        assert self.service.events.wait_terminal(job.id, timeout=60) is not None
        return self.service.get(job.id)

    def audio(self, job: TTSJob) -> bytes:
        return self.service.audio_path(job).read_bytes()


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Iterator[World]:
    (tmp_path / "models.yaml").write_text(REGISTRY)
    settings = settings.model_copy(update={
        "models_config": tmp_path / "models.yaml", "default_model": "piper", "cpu_workers": 1,
        "cache_enabled": True, "cache_dir": tmp_path / "result-cache",
        "sentence_cache_max_bytes": 0, "model_idle_timeout": 3600.0})
    settings.ensure_dirs()
    migrate(settings.resolved_database_url)
    sessions = make_session_factory(make_engine(settings.resolved_database_url))
    registry = load_registry(settings.models_config, Runtime(settings))
    events = EventBus()
    executor = CountingExecutor(registry=registry, settings=settings, sessions=sessions,
                                events=events)
    executor.enqueued = []
    executor.start()
    service = JobService(sessions=sessions, registry=registry, settings=settings,
                         executor=executor, events=events)
    yield World(settings, sessions, service, executor)
    executor.stop()


def test_a_repeated_request_is_answered_from_the_cache_without_a_worker(world: World) -> None:
    text = "The cache answers this the second time."
    first = world.generate(text, format="mp3")
    assert first.status == "complete" and first.attempts == 1
    assert world.executor.enqueued == [first.id]
    repeat = world.service.submit(JobSpec(text=text, model_id="piper", format="mp3"))
    # complete as submitted: never handed to the executor, never claimed by a worker
    assert repeat.status == "complete" and world.executor.enqueued == [first.id]
    row = world.service.get(repeat.id)
    assert row.status == "complete" and row.attempts == 0 and row.started_at is not None
    assert row.duration_seconds == pytest.approx(first.duration_seconds)
    assert row.sample_rate == first.sample_rate
    assert world.audio(row) == world.audio(first)  # identical bytes, in its own file
    assert world.service.audio_path(row) != world.service.audio_path(first)
    assert world.service.events.last(repeat.id)["type"] == "complete"  # listeners finish
    samples, rate = decode(world.audio(row), "mp3")
    assert word_error_rate(text, transcribe(world.audio(row))) <= 0.2
    assert len(samples) / rate == pytest.approx(row.duration_seconds, abs=0.15)


def test_changed_requests_miss_and_the_off_switches_bypass(world: World) -> None:
    text = "One moment."
    first = world.generate(text)
    for changed in ({"format": "flac"}, {"speed": 1.3}, {"cache": False}):
        job = world.generate(text, **changed)
        assert job.attempts == 1, changed  # generated by a worker
    assert len(world.executor.enqueued) == 4
    assert world.generate("One more moment.").attempts == 1
    # cache: false stores nothing either: the same request with it on still hits the first
    assert world.generate(text).attempts == 0
    assert world.generate(text, cache=False).attempts == 1
    # a lexicon entry added for the model: its words may now sound different, so it misses
    from openspeakers.text.lexicon import EntryFields, Lexicon

    Lexicon(world.sessions).create(EntryFields(word="moment", replacement="instant",
                                               model_id="piper"))
    assert world.generate(text).attempts == 1
    assert world.generate(text).attempts == 0  # stored under the new lexicon: a hit again
    world.service.result_cache = None  # as CACHE_ENABLED=false builds it
    assert world.generate(text).attempts == 1
    assert first.attempts == 1


def test_a_job_submitted_while_the_worker_tidies_up_is_claimed_at_once(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lost wake-up bench/cache.py found: a job enqueued between a worker's empty claim and
    its wait sat until the next timed wake. With every timed wake an hour away (the fallback
    here, idle unloading in the fixture), it must still run."""
    from openspeakers.jobs import local

    monkeypatch.setattr(local, "_FALLBACK_WAKE_S", 3600.0)
    arrived: list[TTSJob] = []
    tidy = local.return_free_memory

    def tidy_up_while_a_job_arrives() -> None:  # runs after the empty claim, before the wait
        if not arrived:
            arrived.append(world.service.submit(JobSpec(text="Just in time.",
                                                        model_id="piper")))
        tidy()

    monkeypatch.setattr(local, "return_free_memory", tidy_up_while_a_job_arrives)
    world.generate("First, a job, so the worker tidies up after it.")
    deadline = time.monotonic() + 30
    while not arrived and time.monotonic() < deadline:
        time.sleep(0.05)
    assert world.service.events.wait_terminal(arrived[0].id, timeout=60) is not None
    assert world.service.get(arrived[0].id).status == "complete"


async def test_a_listener_of_a_hit_hears_the_stored_audio(tmp_path: Path) -> None:
    """Wyoming (and any ListenedJob reader) gets a hit's audio decoded, then the end."""
    import asyncio
    from contextlib import ExitStack
    from types import SimpleNamespace

    from openspeakers.audio.encoding import encode
    from openspeakers.jobs.listen import ListenedJob
    from openspeakers.pools import Pools
    from tests.audio_files import tone

    stored = tmp_path / f"{'a' * 32}.flac"
    stored.write_bytes(encode(tone(1.0, 22050), 22050, "flac"))
    pools = Pools(Settings(encode_threads=1, _env_file=None))  # type: ignore[call-arg]
    listened = ListenedJob(SimpleNamespace(pools=pools), "a" * 32,  # type: ignore[arg-type]
                           asyncio.Queue(), ExitStack(), cached=stored)
    chunks = [chunk async for chunk in listened.audio()]
    pools.close()
    assert len(chunks) == 1 and chunks[0][1] == 22050
    assert len(chunks[0][0]) / 22050 == pytest.approx(1.0, abs=0.01)
    assert np.abs(chunks[0][0]).max() > 0.1  # the tone, not silence
