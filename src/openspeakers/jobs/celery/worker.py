"""What runs inside a Celery worker's child process: the tasks and their runtime.

The runtime (database sessions, Redis, the ModelManager, the heartbeat thread) is built once
per child process, after the fork, and lives on the Celery app object.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import redis
from celery import Celery
from celery.signals import worker_process_init
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.session import make_engine, make_session_factory
from openspeakers.engines.arbiter import RedisArbiter
from openspeakers.engines.availability import check_here
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.registry import Registry
from openspeakers.gpu import vram_budget_gb
from openspeakers.jobs.celery.app import CONTROL, RUN_JOB
from openspeakers.jobs.redis_events import RedisEventBus
from openspeakers.jobs.runner import run_job
from openspeakers.jobs.store import claim

log = logging.getLogger(__name__)


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
    _stop: threading.Event = field(init=False, default_factory=threading.Event)

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
                                    gpu_device_id=settings.gpu_device_id, arbiter=self.arbiter)
        self.beat()
        threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True).start()
        if settings.preload_standby:
            threading.Thread(target=self._preload, name="preload", daemon=True).start()

    def _preload(self) -> None:
        """Load this worker's standby models now rather than on their first job."""
        try:
            for queue in self.queues:
                self.manager.preload_standby(queue)
            self.beat()
        except Exception:
            log.exception("could not preload standby models")

    def key(self, kind: str, name: str) -> str:
        return f"{self.settings.redis_prefix}{kind}:{name}"

    def cancelled(self, job_id: str) -> bool:
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
                       json.dumps({"models": states, "serves": serves}), px=ttl)
        if self.arbiter is not None:
            self.arbiter.renew()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.settings.heartbeat_interval):
            try:
                if self.arbiter is not None and self.arbiter.wanted_by_other():
                    self.manager.unload_unused()
                else:
                    self.manager.unload_idle()
                self.beat()
            except Exception:
                log.exception("heartbeat failed")

    def run(self, job_id: str) -> str:
        if not claim(self.sessions, job_id):
            return "skipped: not pending (cancelled, finished or running elsewhere)"
        self.current_job = job_id
        self.beat()
        try:
            return run_job(job_id, sessions=self.sessions, manager=self.manager, events=self.bus,
                           audio_dir=self.settings.audio_output_dir, cancelled=self.cancelled)
        finally:
            self.current_job = None
            self.redis.delete(self.key("heartbeat", job_id))
            self.beat()


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

    @app.task(name=RUN_JOB)
    def run_job_task(job_id: str) -> str:
        return runtime().run(job_id)

    @app.task(name=CONTROL)
    def control_task(action: str, model_id: str) -> str:
        manager = runtime().manager
        if action == "load":
            manager.load_model(model_id)
        elif action == "unload":
            manager.unload_model(model_id)
        runtime().beat()
        return f"{action} {model_id}"
