"""The local executor: worker threads per queue group, backed by the jobs table.

The database is the queue: a worker claims the oldest `pending` row of its group with a
conditional UPDATE, so a job is never run twice and survives a restart. Submitting wakes the
group's workers; a slow timer is only a fallback and the idle-unload clock.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob
from openspeakers.engines.availability import Availability, check_here
from openspeakers.engines.manager import ModelManager, ModelState
from openspeakers.engines.registry import ModelSpec, Registry
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.runner import run_job
from openspeakers.jobs.store import claim, pending_ids, queue_depths, requeue_or_fail

log = logging.getLogger(__name__)

_FALLBACK_WAKE_S = 5.0


@dataclass
class _Group:
    name: str
    wake: threading.Condition = field(default_factory=threading.Condition)
    managers: list[ModelManager] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)


class LocalExecutor:
    name = "local"

    def __init__(self, *, registry: Registry, settings: Settings,
                 sessions: sessionmaker[Session], events: EventBus) -> None:
        self.registry = registry
        self.settings = settings
        self.sessions = sessions
        self.events = events
        self._stopping = threading.Event()
        self._cancel: set[str] = set()
        self._cancel_lock = threading.Lock()
        self._groups: dict[str, _Group] = {}

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self.recover()
        for name in self.registry.groups:
            group = self._groups[name] = _Group(name)
            count = self.settings.cpu_workers if self.registry.is_parallel_group(name) else 1
            for index in range(count):
                manager = ModelManager(self.registry, idle_timeout=self.settings.model_idle_timeout,
                                       gpu_device_id=self.settings.gpu_device_id)
                group.managers.append(manager)
                thread = threading.Thread(target=self._work, args=(group, manager, index == 0),
                                          name=f"worker-{name}-{index}", daemon=True)
                group.threads.append(thread)
                thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        for group in self._groups.values():
            with group.wake:
                group.wake.notify_all()
        for group in self._groups.values():
            for thread in group.threads:
                thread.join(timeout)
            for manager in group.managers:
                manager.unload_all()

    def recover(self) -> None:
        """Rows left `running` by a process that died: re-run them, or fail after max attempts."""
        with self.sessions.begin() as session:
            for job in session.scalars(select(TTSJob).where(TTSJob.status == JobStatus.running)):
                requeue_or_fail(job, max_attempts=self.settings.max_job_attempts,
                                audio_dir=self.settings.audio_output_dir,
                                why="server stopped or crashed while it ran")
                log.warning("recovered job %s -> %s", job.id, job.status)

    # queueing --------------------------------------------------------------------------------
    def enqueue(self, job_id: str, queue: str) -> None:
        group = self._groups.get(queue)
        if group is not None:
            with group.wake:
                group.wake.notify()

    def request_cancel(self, job_id: str) -> None:
        with self._cancel_lock:
            self._cancel.add(job_id)

    def _is_cancelled(self, job_id: str) -> bool:
        return job_id in self._cancel or self._stopping.is_set()

    def _claim(self, queue: str) -> str | None:
        for job_id in pending_ids(self.sessions, queue):
            if claim(self.sessions, job_id):
                return job_id
        return None

    # the worker loop -------------------------------------------------------------------------
    def _work(self, group: _Group, manager: ModelManager, preload: bool) -> None:
        if preload and self.settings.preload_standby:
            try:
                manager.preload_standby(group.name)
            except Exception:
                log.exception("could not preload standby models of %s", group.name)
        while not self._stopping.is_set():
            try:
                job_id = self._claim(group.name)
            except Exception:
                log.exception("claiming a job on %s failed", group.name)
                job_id = None
            if job_id is None:
                manager.unload_idle()
                idle_in = manager.seconds_until_idle()
                with group.wake:
                    group.wake.wait(min(_FALLBACK_WAKE_S, idle_in + 0.05)
                                    if idle_in is not None else _FALLBACK_WAKE_S)
                continue
            status = run_job(job_id, sessions=self.sessions, manager=manager, events=self.events,
                             audio_dir=self.settings.audio_output_dir,
                             cancelled=self._is_cancelled)
            if status == JobStatus.cancelled and self._stopping.is_set():
                self._requeue_interrupted(job_id)
            with self._cancel_lock:
                self._cancel.discard(job_id)

    def _requeue_interrupted(self, job_id: str) -> None:
        """A job stopped by shutdown (not by a user) goes back to the queue for the next start."""
        with self.sessions.begin() as session:
            if job_id not in self._cancel:
                job = session.get(TTSJob, job_id)
                if job is not None:
                    job.status, job.finished_at = JobStatus.pending, None
                    job.error = "re-queued: the server stopped while it ran"

    # state -----------------------------------------------------------------------------------
    def _managers(self, model_id: str) -> list[ModelManager]:
        group = self._groups.get(self.registry.queue_map[model_id])
        return group.managers if group else []

    def load_model(self, model_id: str) -> None:
        """Load in the group's first worker (blocks while that worker is generating)."""
        managers = self._managers(model_id)
        if managers:
            managers[0].load_model(model_id)

    def unload_model(self, model_id: str) -> None:
        for manager in self._managers(model_id):
            manager.unload_model(model_id)

    def model_states(self) -> dict[str, list[ModelState]]:
        states: dict[str, list[ModelState]] = {}
        for group in self._groups.values():
            for manager in group.managers:
                for model_id, state in manager.states().items():
                    states.setdefault(model_id, []).append(state)
        return states

    def queue_depths(self) -> dict[str, int]:
        return queue_depths(self.sessions)

    def availability(self, spec: ModelSpec) -> Availability:
        """The worker threads run in this process: its environment decides."""
        return check_here(spec, self.settings)
