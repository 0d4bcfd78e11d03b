"""What runs inside a Celery worker's child process: the tasks and their runtime.

The runtime (database sessions, Redis, the ModelManager, the heartbeat thread) is built once
per child process, after the fork, and lives on the Celery app object.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from celery import Celery, Task
from celery.signals import worker_process_init
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob
from openspeakers.db.session import make_engine, make_session_factory
from openspeakers.db.writes import DATABASE_ERRORS, WriteHealth, describe
from openspeakers.engines.arbiter import RedisArbiter
from openspeakers.engines.availability import check_here
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import Registry
from openspeakers.engines.shared import return_free_memory
from openspeakers.gpu import vram_budget_gb
from openspeakers.jobs.celery.app import CONTROL, RUN_JOB
from openspeakers.jobs.redis_events import RedisEventBus
from openspeakers.jobs.result_cache import ResultCache
from openspeakers.jobs.runner import run_job
from openspeakers.jobs.store import claim_next, ready_audio_dir, settle_interrupted
from openspeakers.jobs.warmup import Warmup

log = logging.getLogger(__name__)

CANCEL_POLL_S = 0.05


def worker_name(settings: Settings, queues: list[str]) -> str:
    return settings.worker_name or f"{'+'.join(queues)}@{socket.gethostname()}"


@dataclass
class WorkerRuntime:
    settings: Settings
    registry: Registry
    name: str
    queues: list[str]
    sessions: sessionmaker[Session] = field(init=False)
    redis: redis.Redis = field(init=False)
    bus: RedisEventBus = field(init=False)
    manager: ModelManager = field(init=False)
    arbiter: RedisArbiter | None = field(init=False, default=None)
    current_job: str | None = field(init=False, default=None)
    writes: WriteHealth = field(init=False, default_factory=WriteHealth)
    warmup: Warmup = field(init=False)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _cancel_read: dict[str, float] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        settings = self.settings
        self.sessions = make_session_factory(make_engine(settings.resolved_database_url))
        self.redis = redis.Redis.from_url(settings.celery_broker_url or "")
        self.bus = RedisEventBus(settings.celery_broker_url or "", settings.redis_prefix)
        budget = vram_budget_gb(settings)
        if budget:
            self.arbiter = RedisArbiter(self.redis, prefix=settings.redis_prefix,
                                        device=settings.gpu_device_id, budget_gb=budget,
                                        worker=self.name, ttl=settings.heartbeat_timeout,
                                        timeout=settings.gpu_wait_timeout)
        self.manager = ModelManager(self.registry, idle_timeout=settings.model_idle_timeout,
                                    gpu_device_id=settings.gpu_device_id, arbiter=self.arbiter,
                                    engine_options=settings.engine_options,
                                    on_loaded=lambda _: self._beat_quietly())
        self.beat()
        threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True).start()
        self.warmup = Warmup(default=self._warm_default,
                             standby=self._preload if settings.preload_standby else None,
                             delay=settings.standby_preload_delay, stopping=self._stop)
        self.warmup.start()
        if settings.text_preload_languages:  # this worker normalises its jobs' text
            from openspeakers.text.normalize import prepare_in_background

            prepare_in_background(settings.resolved_text_cache_dir,
                                  settings.text_preload_languages)

    def _warm_default(self) -> None:
        """DEFAULT_MODEL, when this worker serves its queue, loads before any job asks."""
        spec = self.registry.models.get(self.settings.default_model)
        if spec is not None and spec.group in self.queues and check_here(
                spec, self.settings).available:
            self.manager.load_model(spec.id)

    def _preload(self) -> None:
        """This worker's standby models, after its first job (jobs/warmup.py)."""
        for queue in self.queues:
            self.manager.preload_standby(queue)

    def queue_of(self, job_id: str) -> str:
        with self.sessions() as session:
            job = session.get(TTSJob, job_id)
        return job.queue if job is not None else self.queues[0]

    def key(self, kind: str, name: str) -> str:
        return f"{self.settings.redis_prefix}{kind}:{name}"

    def cancelled(self, job_id: str) -> bool:
        """The job's cancel flag in Redis. A generation thread asks before every decoding step,
        so the key is read at most every CANCEL_POLL_S (a set flag is remembered by the job's
        CancelSignal)."""
        now = time.monotonic()
        if self._cancel_read.get(job_id, -CANCEL_POLL_S) > now - CANCEL_POLL_S:
            return False
        self._cancel_read = {job_id: now}
        return bool(self.redis.exists(self.key("cancel", job_id)))

    def beat(self) -> None:
        ttl = int(self.settings.heartbeat_timeout * 1000)
        if self.current_job:
            self.redis.set(self.key("heartbeat", self.current_job), self.name, px=ttl)
        states = {m: {"device": s.device, "memory_bytes": s.memory_bytes}
                  for m, s in self.manager.states().items()}
        # what this worker's environment can run, so the API (elsewhere) can tell users
        serves = {spec.id: check_here(spec, self.settings).reason
                  for queue in self.queues for spec in self.registry.groups.get(queue, [])}
        self.redis.set(self.key("worker", self.name),
                       json.dumps({"models": states, "serves": serves, "queues": self.queues,
                                   "database": self.writes.problem}), px=ttl)
        if self.arbiter is not None:
            self.arbiter.renew()

    def _beat_quietly(self) -> None:
        """A beat out of turn (a model just loaded): the models page shows it before the job
        that loaded it ends. A Redis error here is the heartbeat thread's to report."""
        try:
            self.beat()
        except Exception as exc:
            log.warning("could not report the loaded model at once: %s", exc)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.settings.heartbeat_interval):
            try:
                self.manager.relieve()
                self.beat()
            except Exception:
                log.exception("heartbeat failed")

    def run(self, ticket: str, queue: str, task_id: str | None) -> str:
        """Run the first pending job of `queue` in fair order (`store.claim_next`), whichever
        job's submission sent the ticket (`ticket`). Every job sends one ticket and every
        ticket claims at most one job, so no job is left without one; a ticket that finds
        nothing pending (its job was cancelled, or a duplicate) does nothing. A database that
        cannot be written is waited out (retried with backoff, reported with each heartbeat),
        never an end of the worker."""
        settings = self.settings
        job_id = self.writes.retry(
            lambda: claim_next(self.sessions, queue, celery_task_id=task_id),
            what=f"claiming a job of {queue}", stop=self._stop,
            max_delay=settings.db_retry_max_seconds)
        if job_id is None:
            return f"nothing pending in {queue} (ticket of job {ticket})"
        self.current_job = job_id
        self.beat()
        try:
            ready_audio_dir(settings.audio_output_dir)
            status = run_job(job_id, sessions=self.sessions, manager=self.manager,
                             events=self.bus, audio_dir=settings.audio_output_dir,
                             cancelled=self.cancelled,
                             result_cache=ResultCache.from_settings(settings))
            self.writes.succeeded()
            return f"job {job_id}: {status}"
        except Exception as exc:  # the runner could not record how the job ended
            log.exception("job %s ended in an error that could not be recorded", job_id)
            return self._settle(job_id, exc)
        finally:
            self.current_job = None
            self.redis.delete(self.key("heartbeat", job_id))
            self.beat()
            self.warmup.job_finished()
            return_free_memory()

    def _settle(self, job_id: str, exc: BaseException) -> str:
        """Once the database can be written: re-queue the job (the API's reconciler sends it
        again) or fail it with the reason when its attempts are spent."""
        if isinstance(exc, DATABASE_ERRORS):
            self.writes.failed(exc)
        job = self.writes.retry(lambda: settle_interrupted(
            self.sessions, job_id, max_attempts=self.settings.max_job_attempts,
            audio_dir=self.settings.audio_output_dir,
            why=f"its run ended in an error: {describe(exc)}"),
            what=f"settling job {job_id}", stop=self._stop,
            max_delay=self.settings.db_retry_max_seconds)
        if job is None:
            return "ended with an error"
        self.redis.delete(self.key("sent", job_id))
        self.bus.publish(job_id, {"type": "queued" if job.status == JobStatus.pending
                                  else "failed", "job_id": job_id, "error": job.error})
        return f"{job.status}: {job.error}"


def register(app: Celery, name: str, queues: list[str]) -> None:
    """Attach the tasks, and the per-child runtime, to `app`."""
    settings: Settings = app.openspeakers_settings  # type: ignore[attr-defined]
    registry: Registry = app.openspeakers_registry  # type: ignore[attr-defined]

    def runtime() -> WorkerRuntime:
        if getattr(app, "openspeakers_runtime", None) is None:
            app.openspeakers_runtime = WorkerRuntime(settings, registry, name, queues)  # type: ignore[attr-defined]
        return app.openspeakers_runtime  # type: ignore[attr-defined,no-any-return]

    @worker_process_init.connect(weak=False)
    def _init_child(**_: Any) -> None:
        app.openspeakers_runtime = None  # type: ignore[attr-defined]
        runtime()

    @app.task(name=RUN_JOB, bind=True)
    def run_job_task(task: Task, job_id: str, queue: str | None = None) -> str:
        """A wake-up ticket for `queue` (sent by job `job_id`'s submission); a message from
        before tickets carried no queue: its job's own queue is meant."""
        rt = runtime()
        return rt.run(job_id, queue or rt.queue_of(job_id), task.request.id)

    @app.task(name=CONTROL)
    def control_task(action: str, model_id: str) -> str:
        manager = runtime().manager
        if action == "load":
            manager.load_model(model_id)
        elif action == "unload":
            manager.unload_model(model_id)
        runtime().beat()
        return f"{action} {model_id}"
