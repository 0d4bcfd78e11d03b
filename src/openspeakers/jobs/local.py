"""The local executor: worker threads per queue group, backed by the jobs table.

The database is the queue: a worker claims the first `pending` row of its group in fair order
(`store.claim_next`) with a conditional UPDATE, so a job is never run twice and survives a
restart. Submitting wakes the group's workers; a slow timer is only a fallback and the
idle-unload clock.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob
from openspeakers.db.writes import DATABASE_ERRORS, WriteHealth, describe
from openspeakers.engines.availability import Availability, check_here
from openspeakers.engines.manager import ModelManager, ModelState
from openspeakers.engines.registry import ModelSpec, Registry
from openspeakers.engines.shared import return_free_memory
from openspeakers.expiring import Expiring
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.result_cache import ResultCache
from openspeakers.jobs.runner import run_job
from openspeakers.jobs.store import (
    claim_next,
    queue_depths,
    ready_audio_dir,
    requeue_or_fail,
    settle_interrupted,
)
from openspeakers.jobs.warmup import Warmup

log = logging.getLogger(__name__)

_FALLBACK_WAKE_S = 5.0
_SUPERVISE_S = 1.0


@dataclass
class _Group:
    name: str
    wake: threading.Condition = field(default_factory=threading.Condition)
    managers: list[ModelManager] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)
    trouble: dict[str, str] = field(default_factory=dict)
    """Worker thread name -> the error it is waiting out (absent while it works)."""
    submitted: int = 0
    """Jobs enqueued so far (under `wake`): a worker that found nothing to claim waits only if
    no job came since it looked, so a wake-up sent while it was busy is not lost."""


class LocalExecutor:
    name = "local"

    def __init__(self, *, registry: Registry, settings: Settings,
                 sessions: sessionmaker[Session], events: EventBus,
                 writes: WriteHealth | None = None) -> None:
        self.registry = registry
        self.settings = settings
        self.sessions = sessions
        self.events = events
        self._stopping = threading.Event()
        self._cancel: set[str] = set()
        self._cancel_lock = threading.Lock()
        self._groups: dict[str, _Group] = {}
        self._supervisor: threading.Thread | None = None
        self.writes = writes or WriteHealth()
        self.result_cache = ResultCache.from_settings(settings)
        self._availability: Expiring[str, Availability] = Expiring(
            settings.state_cache_seconds,
            lambda model_id: check_here(registry.models[model_id], settings))
        self._warmup = Warmup(default=self._warm_default,
                              standby=self._preload_standby if settings.preload_standby else None,
                              delay=settings.standby_preload_delay, stopping=self._stopping)

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self.recover()
        for name in self.registry.groups:
            group = self._groups[name] = _Group(name)
            count = self.settings.cpu_workers if self.registry.is_parallel_group(name) else 1
            for index in range(count):
                manager = ModelManager(self.registry, idle_timeout=self.settings.model_idle_timeout,
                                       gpu_device_id=self.settings.gpu_device_id,
                                       engine_options=self.settings.engine_options)
                group.managers.append(manager)
                group.threads.append(self._spawn(group, index))
        self._supervisor = threading.Thread(target=self._supervise, name="worker-supervisor",
                                            daemon=True)
        self._supervisor.start()

    def _spawn(self, group: _Group, index: int) -> threading.Thread:
        thread = threading.Thread(target=self._work, args=(group, group.managers[index]),
                                  name=f"worker-{group.name}-{index}", daemon=True)
        thread.start()
        return thread

    def _supervise(self) -> None:
        """Restart a worker thread that ended anyway (the loop catches every Exception, so
        only something like a SystemExit raised in an engine gets here)."""
        while not self._stopping.wait(_SUPERVISE_S):
            for group in self._groups.values():
                for index, thread in enumerate(group.threads):
                    if not thread.is_alive() and not self._stopping.is_set():
                        log.error("worker %s ended; starting it again", thread.name)
                        group.threads[index] = self._spawn(group, index)

    def warm(self) -> None:
        """The server is ready: load the default model now, standby models after the first job
        (jobs/warmup.py). Returns at once."""
        self._warmup.start()

    def _warm_default(self) -> None:
        model_id = self.settings.default_model
        if model_id in self.registry.models and check_here(self.registry.get(model_id),
                                                           self.settings).available:
            self.load_model(model_id)

    def _preload_standby(self) -> None:
        for group in self._groups.values():
            if group.managers:
                group.managers[0].preload_standby(group.name)

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        for group in self._groups.values():
            with group.wake:
                group.wake.notify_all()
        self._warmup.join(timeout)
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
                group.submitted += 1
                group.wake.notify()

    def request_cancel(self, job_id: str) -> None:
        with self._cancel_lock:
            self._cancel.add(job_id)

    def _is_cancelled(self, job_id: str) -> bool:
        return job_id in self._cancel or self._stopping.is_set()

    # the worker loop -------------------------------------------------------------------------
    def _work(self, group: _Group, manager: ModelManager) -> None:
        """Claim and run jobs until stopped. No exception ends this loop: a failed step is
        logged, and the worker waits (longer after each failure in a row) and goes on."""
        failures = 0
        worked = False
        while not self._stopping.is_set():
            try:
                worked = self._step(group, manager, worked)
                failures = 0
            except Exception as exc:
                failures += 1
                delay = min(0.5 * 2 ** (failures - 1), self.settings.db_retry_max_seconds)
                group.trouble[threading.current_thread().name] = f"{describe(exc)}"
                log.exception("worker of %s failed (%d in a row); going on in %.1f s",
                              group.name, failures, delay)
                self._stopping.wait(delay)
            else:
                group.trouble.pop(threading.current_thread().name, None)

    def _step(self, group: _Group, manager: ModelManager, worked: bool) -> bool:
        """Run the next job of the group (True), or wait for one (False; a worker that has
        just gone idle first gives freed buffers back to the system, off any request)."""
        with group.wake:
            seen = group.submitted
        try:
            job_id = claim_next(self.sessions, group.name)
        except DATABASE_ERRORS as exc:
            self.writes.failed(exc)
            raise
        if job_id is None:
            if worked:
                return_free_memory()
            manager.unload_idle()
            idle_in = manager.seconds_until_idle()
            with group.wake:
                if group.submitted == seen:  # else: a job came meanwhile; claim it now
                    group.wake.wait(min(_FALLBACK_WAKE_S, idle_in + 0.05)
                                    if idle_in is not None else _FALLBACK_WAKE_S)
            return False
        try:
            ready_audio_dir(self.settings.audio_output_dir)
            status = run_job(job_id, sessions=self.sessions, manager=manager, events=self.events,
                             audio_dir=self.settings.audio_output_dir,
                             cancelled=self._is_cancelled, result_cache=self.result_cache)
            if status == JobStatus.cancelled and self._stopping.is_set():
                self._requeue_interrupted(job_id)
        except Exception as exc:  # the runner could not record how the job ended
            log.exception("job %s ended in an error that could not be recorded", job_id)
            self._settle(group, job_id, exc)
        else:
            self.writes.succeeded()
        finally:
            with self._cancel_lock:
                self._cancel.discard(job_id)
        self._warmup.job_finished()
        return True

    def _settle(self, group: _Group, job_id: str, exc: BaseException) -> None:
        """Once the database can be written again, re-queue the job (or fail it with the
        reason when its attempts are spent) and tell its listeners."""
        if isinstance(exc, DATABASE_ERRORS):
            self.writes.failed(exc)
        why = f"its run ended in an error: {describe(exc)}"
        job = self.writes.retry(lambda: settle_interrupted(
            self.sessions, job_id, max_attempts=self.settings.max_job_attempts,
            audio_dir=self.settings.audio_output_dir, why=why),
            what=f"settling job {job_id}", stop=self._stopping,
            max_delay=self.settings.db_retry_max_seconds)
        if job is None:
            return
        log.warning("job %s -> %s (%s)", job_id, job.status, job.error)
        self.events.publish(job_id, {"type": "queued" if job.status == JobStatus.pending
                                     else "failed", "job_id": job_id, "error": job.error})
        self.enqueue(job_id, group.name)

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
        """The worker threads run in this process: its environment decides (cached briefly)."""
        return self._availability.get(spec.id)

    def problems(self) -> list[str]:
        """Queue groups with no worker able to take a job (for health)."""
        found = []
        for group in self._groups.values():
            alive = [t for t in group.threads if t.is_alive() and t.name not in group.trouble]
            if not alive:
                why = "; ".join(sorted(set(group.trouble.values()))) or "its workers ended"
                found.append(f"queue group {group.name} has no live worker ({why})")
        return found
