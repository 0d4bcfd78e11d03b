"""The job service: the one way to submit, read, list and cancel jobs (API, CLI, batch).

Validation happens here, before anything is written: a rejected request leaves no row.
A job is committed first and enqueued second, so a worker never sees a job that is not stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.audio.encoding import FORMATS
from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob, VoiceProfile, new_id
from openspeakers.db.session import get_or_raise
from openspeakers.engines.availability import Availability
from openspeakers.engines.base import InvalidRequestError, TTSModelBase
from openspeakers.engines.manager import ModelState
from openspeakers.engines.params import check_params
from openspeakers.engines.registry import OPENAI_VOICES, ModelSpec, Registry, UnknownModelError
from openspeakers.engines.speech import ssml_warnings
from openspeakers.jobs import quota, result_cache
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.result_cache import ResultCache
from openspeakers.pools import Pools
from openspeakers.voices.refs import profile_ref, profile_voice

BATCH_PRIORITY = 1
"""Batch lines are claimed after interactive jobs (priority 0); see jobs/store.py."""


class JobNotFoundError(LookupError):
    pass


class JobStateError(RuntimeError):
    """The job is in a state that does not allow the operation (409)."""


class ModelUnavailableError(RuntimeError):
    """The model exists but cannot run here; the message says why (503)."""


class TooLargeError(InvalidRequestError):
    """Past a size limit (413): params, a batch's characters, a request body."""


class Executor(Protocol):
    """Runs jobs: the local thread pool or Celery workers (see jobs/local.py, jobs/celery)."""

    name: str

    def start(self) -> None: ...
    def warm(self) -> None:
        """The server is ready: load what the first requests will need (jobs/warmup.py)."""
        ...
    def stop(self) -> None: ...
    def enqueue(self, job_id: str, queue: str) -> None: ...
    def request_cancel(self, job_id: str) -> None: ...
    def load_model(self, model_id: str) -> None: ...
    def unload_model(self, model_id: str) -> None: ...
    def model_states(self) -> dict[str, list[ModelState]]: ...
    def queue_depths(self) -> dict[str, int]: ...
    def availability(self, spec: ModelSpec) -> Availability:
        """Whether the workers of `spec`'s queue can run it, and why not."""
        ...
    def problems(self) -> list[str]:
        """What keeps jobs from running now (queue groups without a live worker...)."""
        ...


@dataclass
class JobSpec:
    """What a caller asks for; validated by `JobService.validate` into a job row."""

    text: str
    model_id: str | None = None
    voice: str | None = None
    speed: float = 1.0
    pitch: float = 1.0
    format: str = "wav"
    language: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    keep_alive: float | None = None
    instructions: str | None = None
    """Passed to engines that take instructions (supports_instructions); ignored by others."""
    verify: bool | dict[str, Any] = False
    """Listening check: True, or {"max_wer": .., "max_tries": ..} to override the settings."""
    api_key_id: str | None = None
    """The API key submitting the job: its limits apply (jobs/quota.py)."""
    cache: bool = True
    """False: neither answered from nor stored in the result cache (jobs/result_cache.py)."""
    normalize: bool = True
    """Text normalisation (docs/TEXT.md); False is stored in the job's parameters."""
    normalize_loudness: bool = True
    """Level the output to LOUDNESS_TARGET_LUFS (audio/loudness.py); False: the engine's own."""


@dataclass(frozen=True)
class JobPage:
    items: list[TTSJob]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class JobService:
    def __init__(self, *, sessions: sessionmaker[Session], registry: Registry, settings: Settings,
                 executor: Executor, events: EventBus, pools: Pools | None = None) -> None:
        self.sessions = sessions
        self.registry = registry
        self.settings = settings
        self.executor = executor
        self.events = events
        self.pools = pools or Pools(settings)
        """Where async callers run this service's blocking methods (`pools.db_call`)."""
        self.result_cache = ResultCache.from_settings(settings)

    # validation ------------------------------------------------------------------------------
    def availability(self, spec: ModelSpec) -> Availability:
        """Can `spec` run: in this process (local executor) or on a live worker of its queue
        (Celery, whose workers may have environments the API does not)."""
        return self.executor.availability(spec)

    def validate(self, spec: JobSpec, *, max_chars: int | None = None) -> TTSJob:
        """Return an unsaved job row for `spec`, or raise with a message for the user.

        `max_chars` replaces MAX_TEXT_CHARS for entry points with their own limit (/v1).
        """
        model_id = spec.model_id or self.settings.default_model
        model = self.registry.get(model_id)
        availability = self.availability(model)
        if not availability.available:
            raise ModelUnavailableError(f"model '{model_id}' cannot run here: "
                                        f"{availability.reason}")
        engine = model.engine_class()
        text = spec.text.strip()
        if not text:
            raise InvalidRequestError("text is empty", param="text")
        limit = max_chars or self.settings.max_text_chars
        if len(spec.text) > limit:  # as sent, as the schema's maxLength counts
            raise InvalidRequestError(f"text is {len(spec.text)} characters; the limit is "
                                      f"{limit}", param="text")
        params_bytes = len(json.dumps(spec.params))
        if params_bytes > self.settings.max_params_bytes:
            raise TooLargeError(f"params is {params_bytes} bytes of JSON; the limit is "
                                f"{self.settings.max_params_bytes} (MAX_PARAMS_BYTES)")
        warnings = ssml_warnings(spec.text, engine, model_id)  # bad SSML: 400, its position
        if spec.format not in FORMATS:
            raise InvalidRequestError(f"unsupported format '{spec.format}'; "
                                      f"valid formats: {', '.join(FORMATS)}", param="format")
        profile_id = profile_ref(spec.voice)
        if profile_id is not None:
            voice = self._profile_voice(model, engine, profile_id)
        else:
            voice = _resolve_voice(model, engine, spec.voice)
        if spec.pitch != 1.0 and not engine.supports_pitch:
            raise InvalidRequestError(f"model '{model_id}' does not support pitch",
                                      param="pitch")
        low, high = engine.speed_range
        native = engine.supports_speed and low <= spec.speed <= high
        parameters: dict[str, Any] = {
            "speed": spec.speed if native else 1.0,
            "tempo": 1.0 if native else spec.speed,
            "pitch": spec.pitch,
            "engine": {**model.params, **check_params(model_id, engine.parameters, spec.params)}}
        if spec.instructions:
            parameters["instructions"] = spec.instructions
        if spec.language:
            parameters["language"] = spec.language
        if spec.keep_alive is not None:
            parameters["keep_alive"] = spec.keep_alive
        if spec.verify:
            options = spec.verify if isinstance(spec.verify, dict) else {}
            parameters["verify"] = {
                "max_wer": _or(options.get("max_wer"), self.settings.verify_max_wer),
                "max_tries": int(_or(options.get("max_tries"), self.settings.verify_max_tries))}
        if not spec.cache:
            parameters["cache"] = False
        if not spec.normalize:
            parameters["normalize"] = False
        parameters["normalize_loudness"] = spec.normalize_loudness
        return TTSJob(id=new_id(), model_id=model_id, voice=voice, text=text,
                      parameters=parameters, output_format=spec.format, queue=model.queue,
                      status=JobStatus.pending, progress=0.0, attempts=0,
                      voice_profile_id=profile_id, api_key_id=spec.api_key_id, priority=0,
                      warnings=warnings or None)

    def _profile_voice(self, model: ModelSpec, engine: type[TTSModelBase],
                       profile_id: str) -> str:
        """`profile:<id>` if `model` can speak with that profile, else a message naming the
        models that can: cloning engines, and engines with a voice made from the profile."""
        with self.sessions() as session:
            profile = session.get(VoiceProfile, profile_id)
        if profile is None:
            raise InvalidRequestError(f"no voice profile with id '{profile_id}'", param="voice")
        made = profile.engine_voices or {}
        if engine.supports_voice_cloning or model.id in made:
            return profile_voice(profile_id)
        cloners = [m.id for m in self.registry.models.values()
                   if "voice_cloning" in m.capabilities]
        message = (f"model '{model.id}' cannot speak with a voice profile (it has no voice "
                   f"cloning); models that can: {', '.join(cloners + sorted(made))}")
        from openspeakers.voices.matching import matchable

        if matchable(model):
            message += (f". A {model.id} voice can be made from this profile: "
                        f"POST /api/voices/{profile_id}/match")
        raise InvalidRequestError(message, param="voice")

    # submission ------------------------------------------------------------------------------
    def submit(self, spec: JobSpec) -> TTSJob:
        return self.submit_many([spec])[1][0]

    def submit_many(self, specs: Sequence[JobSpec], *, batch: bool = False
                    ) -> tuple[str | None, list[TTSJob]]:
        """Validate all, commit all in one transaction, then enqueue: all or nothing."""
        jobs = [self.validate(spec) for spec in specs]
        batch_id = new_id() if batch else None
        for index, job in enumerate(jobs):
            job.batch_id = batch_id
            if batch:  # behind interactive work; interleaved with other batches by index
                job.priority, job.batch_index = BATCH_PRIORITY, index
        self.enqueue(jobs)
        return batch_id, jobs

    def enqueue(self, jobs: Sequence[TTSJob]) -> None:
        """Commit validated rows, then hand them to the executor.

        Separate from `validate` so that a caller can subscribe to a job's events between the
        two and hear every audio chunk (the streaming endpoints do). Rows whose output is in
        the result cache are committed complete and never reach a worker.
        """
        audio_dir = self.settings.audio_output_dir
        hits = result_cache.serve_hits(self.result_cache, jobs, audio_dir, self.sessions)
        try:
            with self.sessions.begin() as session:
                quota.check(session, jobs)
                session.add_all(jobs)
        except BaseException:
            result_cache.discard(hits, audio_dir)
            raise
        for job in jobs:
            if job in hits:
                self.events.publish(job.id, {"type": "complete", "job_id": job.id,
                                             "duration": job.duration_seconds, "seconds": 0.0,
                                             "cached": True})
                continue
            self.events.publish(job.id, {"type": "queued", "job_id": job.id})
            self.executor.enqueue(job.id, job.queue)

    # reading ---------------------------------------------------------------------------------
    def get(self, job_id: str) -> TTSJob:
        return get_or_raise(self.sessions, TTSJob, job_id,
                            lambda: JobNotFoundError(f"no job with id '{job_id}'"))

    def list(self, *, page: int = 1, page_size: int = 20, status: str | None = None,
             model_id: str | None = None, search: str | None = None,
             batch_id: str | None = None) -> JobPage:
        query = select(TTSJob)
        if status:
            query = query.where(TTSJob.status == status)
        if model_id:
            query = query.where(TTSJob.model_id == model_id)
        if batch_id:
            query = query.where(TTSJob.batch_id == batch_id)
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            query = query.where(or_(TTSJob.text.ilike(pattern, escape="\\"),
                                    TTSJob.voice.ilike(pattern, escape="\\")))
        with self.sessions() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            items = session.scalars(query.order_by(TTSJob.queued_at.desc(), TTSJob.id)
                                    .offset((page - 1) * page_size).limit(page_size)).all()
        return JobPage(list(items), total, page, page_size)

    def batch_jobs(self, batch_id: str) -> list[TTSJob]:
        with self.sessions() as session:
            jobs = session.scalars(select(TTSJob).where(TTSJob.batch_id == batch_id)
                                   .order_by(TTSJob.batch_index, TTSJob.queued_at, TTSJob.id)
                                   ).all()
        if not jobs:
            raise JobNotFoundError(f"no batch with id '{batch_id}'")
        return list(jobs)

    def audio_file(self, job_id: str) -> tuple[TTSJob, Path]:
        job = self.get(job_id)
        return job, self.audio_path(job)

    def audio_path(self, job: TTSJob) -> Path:
        """The finished audio of `job`, refusing anything outside AUDIO_OUTPUT_DIR."""
        job_id = job.id
        if job.status == JobStatus.complete and not job.audio_path:
            raise JobStateError(f"the audio of job '{job_id}' was deleted by the retention "
                                "setting (AUDIO_RETENTION_DAYS)")
        if job.status != JobStatus.complete:
            raise JobStateError(f"job '{job_id}' is {job.status}; audio exists only for "
                                "complete jobs")
        root = self.settings.audio_output_dir.resolve()
        path = (root / job.audio_path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise JobStateError(f"the audio file of job '{job_id}' is missing")
        return path

    # cancelling ------------------------------------------------------------------------------
    def cancel(self, job_id: str, wait: float = 10.0) -> TTSJob:
        """Pending: cancelled at once. Running: stops at the next sentence (waits up to `wait`
        in this thread; async callers use `request_cancel` and await the job's events)."""
        job = self.request_cancel(job_id)
        if job.status == JobStatus.running and wait > 0:
            self.events.wait_terminal(job_id, timeout=wait)
            return self.get(job_id)
        return job

    def request_cancel(self, job_id: str) -> TTSJob:
        """Cancel a pending job, or ask the worker of a running one to stop (never waits);
        returns the row as it is now."""
        with self.sessions.begin() as session:
            done = session.execute(
                update(TTSJob).where(TTSJob.id == job_id, TTSJob.status == JobStatus.pending)
                .values(status=JobStatus.cancelled, error="cancelled before it started"))
        if done.rowcount == 1:  # type: ignore[attr-defined]
            self.events.publish(job_id, {"type": "cancelled", "job_id": job_id})
            return self.get(job_id)
        job = self.get(job_id)
        if JobStatus(job.status).finished:
            raise JobStateError(f"job '{job_id}' is already {job.status}")
        self.executor.request_cancel(job_id)
        return job

    def cancel_quietly(self, job_id: str) -> None:
        """Stop a job whose listener went away; a job that already finished is left alone."""
        try:
            self.request_cancel(job_id)
        except (JobStateError, JobNotFoundError):
            pass


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _resolve_voice(model: ModelSpec, engine: type[TTSModelBase], voice: str | None) -> str:
    """The engine's voice for `voice`; an unknown one is refused with a message that lists the
    engine's voices and the OpenAI names, which work with every engine."""
    try:
        return engine.resolve_voice(_engine_voice(model, voice))
    except InvalidRequestError as exc:
        raise InvalidRequestError(f"{exc}; or an OpenAI voice name: {', '.join(OPENAI_VOICES)}",
                                  param="voice") from None


def _engine_voice(model: ModelSpec, voice: str | None) -> str | None:
    """An OpenAI voice name becomes the voice the registry maps it to (unmapped: the default)."""
    if voice in OPENAI_VOICES:
        return model.openai_voices.get(voice)
    return voice


__all__ = ["JobNotFoundError", "JobPage", "JobService", "JobSpec", "JobStateError",
           "ModelUnavailableError", "TooLargeError", "UnknownModelError"]
