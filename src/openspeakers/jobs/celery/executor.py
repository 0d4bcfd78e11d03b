"""The API side of the Celery executor: send jobs, cancel them, and reconcile.

The API process never loads a model. Each committed job sends one wake-up ticket to its
group's queue; the worker that takes a ticket claims the first pending job of the queue in fair
order (`store.claim_next`, as the local executor does), so the jobs table decides the order,
not the broker: interactive jobs before batch lines, batches interleaved. A reconciler thread
repairs what a crash can leave behind: `pending` jobs whose ticket was never sent (or was lost)
send one again, and `running` jobs whose worker stopped beating are re-queued or failed with a
reason. A spare ticket is harmless: it claims nothing when nothing is pending, and a job runs
only if its conditional claim (pending -> running) succeeds.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.engines.availability import Availability, check_here
from openspeakers.engines.manager import ModelState
from openspeakers.engines.registry import ModelSpec, Registry
from openspeakers.expiring import Expiring
from openspeakers.jobs.celery.app import CONTROL, RUN_JOB, make_celery
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.redis_events import RedisEventBus
from openspeakers.jobs.store import queue_depths, requeue_or_fail

log = logging.getLogger(__name__)

RESEND_PENDING_AFTER_S = 300
"""A job still pending this long after its message was sent is sent again, in case the broker
lost it (Redis without persistence, restarted). Duplicates are harmless (see `claim`)."""


class CeleryExecutor:
    name = "celery"

    def __init__(self, *, registry: Registry, settings: Settings,
                 sessions: sessionmaker[Session], events: EventBus) -> None:
        if not isinstance(events, RedisEventBus):
            raise TypeError("the Celery executor needs the Redis event bus")
        self.registry = registry
        self.settings = settings
        self.sessions = sessions
        self.events = events
        self.redis = events.redis
        self.app = make_celery(settings, registry)
        self._stop = threading.Event()
        self._reconciler: threading.Thread | None = None
        ttl = settings.state_cache_seconds
        self._reports: Expiring[None, dict[str, dict[str, Any]]] = Expiring(
            ttl, lambda _: self._scan_worker_reports())
        self._here: Expiring[str, Availability] = Expiring(
            ttl, lambda model_id: check_here(registry.models[model_id], settings))
        self._seen_queues: set[str] = set()

    def _key(self, kind: str, name: str) -> str:
        return f"{self.settings.redis_prefix}{kind}:{name}"

    def start(self) -> None:
        self.events.start_relay()
        self._reconciler = threading.Thread(target=self._reconcile_forever, name="reconciler",
                                            daemon=True)
        self._reconciler.start()

    def warm(self) -> None:
        """Nothing to warm here: the worker processes warm their own models."""

    def stop(self) -> None:
        self._stop.set()
        if self._reconciler is not None:
            self._reconciler.join(10)
        self.events.stop_relay()

    # sending and cancelling ------------------------------------------------------------------
    def enqueue(self, job_id: str, queue: str) -> None:
        """Send one wake-up ticket to the job's queue. The worker that takes it claims the
        first pending job of the queue in fair order (`store.claim_next`), not necessarily
        this one, and records its own task id on the row it claims; the id is written here
        only while the job is still pending, so it never overwrites the claimer's."""
        task_id = uuid.uuid4().hex
        try:
            self.app.send_task(RUN_JOB, args=[job_id, queue], queue=queue, task_id=task_id)
            self.redis.set(self._key("sent", job_id), task_id, ex=RESEND_PENDING_AFTER_S)
        except Exception:
            log.exception("could not send job %s; the reconciler will retry", job_id)
            return
        with self.sessions.begin() as session:
            session.execute(update(TTSJob).where(TTSJob.id == job_id,
                                                 TTSJob.status == JobStatus.pending)
                            .values(celery_task_id=task_id))

    def request_cancel(self, job_id: str) -> None:
        """Ask the worker to stop at the next sentence; kill the task if it has not after
        CANCEL_GRACE seconds (an engine stuck in one long call)."""
        self.redis.set(self._key("cancel", job_id), "1", ex=3600)
        timer = threading.Timer(self.settings.cancel_grace, self._terminate_if_running,
                                args=[job_id])
        timer.daemon = True
        timer.start()

    def _terminate_if_running(self, job_id: str) -> None:
        with self.sessions.begin() as session:
            job = session.get(TTSJob, job_id)
            if job is None or job.status != JobStatus.running:
                return
            if job.celery_task_id:
                self.app.control.revoke(job.celery_task_id, terminate=True, signal="SIGKILL")
            job.status, job.finished_at = JobStatus.cancelled, utcnow()
            job.error = "cancelled: the worker was stopped after it did not stop by itself"
        self.events.publish(job_id, {"type": "cancelled", "job_id": job_id,
                                     "error": "cancelled"})

    # models ----------------------------------------------------------------------------------
    def _control(self, action: str, model_id: str) -> None:
        self.app.send_task(CONTROL, args=[action, model_id],
                           queue=self.registry.queue_map[model_id])

    def _await_state(self, model_id: str, loaded: bool, timeout: float = 60.0) -> None:
        """Wait until a worker's heartbeat shows the model (un)loaded, so callers see it."""
        deadline = time.monotonic() + timeout
        while (model_id in self._states(self._scan_worker_reports())) != loaded and \
                time.monotonic() < deadline:
            time.sleep(0.1)
        self._reports.clear()

    def load_model(self, model_id: str) -> None:
        self._control("load", model_id)
        self._await_state(model_id, loaded=True)

    def unload_model(self, model_id: str) -> None:
        self._control("unload", model_id)
        self._await_state(model_id, loaded=False)

    def _worker_reports(self) -> dict[str, dict[str, Any]]:
        """Live workers' last heartbeats, read at most once per STATE_CACHE_SECONDS."""
        return self._reports.get(None)

    def _scan_worker_reports(self) -> dict[str, dict[str, Any]]:
        """Live workers' last heartbeats: worker name -> {"models", "serves", "queues",
        "database"} (one Redis SCAN and a GET per worker)."""
        prefix = self._key("worker", "")
        reports = {}
        for key in self.redis.scan_iter(self._key("worker", "*")):
            data = self.redis.get(key)
            if data:
                reports[key.decode().removeprefix(prefix)] = json.loads(data)
        return reports

    def model_states(self) -> dict[str, list[ModelState]]:
        return self._states(self._worker_reports())

    @staticmethod
    def _states(reports: dict[str, dict[str, Any]]) -> dict[str, list[ModelState]]:
        states: dict[str, list[ModelState]] = {}
        for report in reports.values():
            for model_id, state in report["models"].items():
                states.setdefault(model_id, []).append(
                    ModelState(model_id, True, state["device"], state["memory_bytes"]))
        return states

    def availability(self, spec: ModelSpec) -> Availability:
        """Available when a live worker of the model's queue can run it (its own environment,
        weights and GPU decide: each worker reports that with its heartbeat), and the workers'
        reasons when none can. With no live worker on the queue (none started yet, or one
        restarting), this host's own check decides, as a worker here would run the same
        environment; when it says no, the reason also names the missing worker."""
        verdicts = {name: report.get("serves", {})[spec.id]
                    for name, report in sorted(self._worker_reports().items())
                    if spec.id in report.get("serves", {})}
        if any(reason is None for reason in verdicts.values()):
            return Availability(True)
        if verdicts:
            return Availability(False, tuple(f"on worker {name}: {reason}"
                                             for name, reason in verdicts.items()))
        here = self._here.get(spec.id)
        if here.available:
            return here
        return Availability(False, (f"no worker serves queue '{spec.queue}': start "
                                    f"`openspeakers worker --queues {spec.queue}` where the "
                                    "engine can run", *here.reasons))

    def queue_depths(self) -> dict[str, int]:
        return queue_depths(self.sessions)

    def problems(self) -> list[str]:
        """For health: queues that had a live worker and lost it, queues with pending jobs and
        no worker, and workers that cannot write the database."""
        reports = self._worker_reports()
        live = {queue for report in reports.values() for queue in report.get("queues", ())}
        self._seen_queues |= live
        found = [f"worker {name}: {report['database']}"
                 for name, report in sorted(reports.items()) if report.get("database")]
        depths = self.queue_depths()
        for queue in sorted(self._seen_queues | set(depths)):
            if queue in live:
                continue
            waiting = f"; {depths[queue]} jobs wait for it" if depths.get(queue) else ""
            found.append(f"queue group {queue} has no live worker{waiting}: start "
                         f"`openspeakers worker --queues {queue}`")
        return found

    # reconciling -----------------------------------------------------------------------------
    def _reconcile_forever(self) -> None:
        while not self._stop.wait(self.settings.reconcile_interval):
            try:
                self.reconcile()
            except Exception:
                log.exception("reconciling jobs failed")

    def reconcile(self) -> None:
        now = utcnow()
        grace = timedelta(seconds=self.settings.heartbeat_timeout)
        requeued: list[TTSJob] = []
        with self.sessions.begin() as session:
            for job in session.scalars(select(TTSJob).where(
                    TTSJob.status == JobStatus.running).with_for_update(skip_locked=True)):
                started = job.started_at
                if started is not None and started.tzinfo is None:
                    started = started.replace(tzinfo=now.tzinfo)
                if self.redis.exists(self._key("heartbeat", job.id)) or (
                        started is not None and now - started < grace):
                    continue
                requeue_or_fail(job, max_attempts=self.settings.max_job_attempts,
                                audio_dir=self.settings.audio_output_dir,
                                why="its worker stopped sending heartbeats")
                log.warning("job %s lost its worker -> %s", job.id, job.status)
                requeued.append(job)
            pending = list(session.scalars(select(TTSJob).where(
                TTSJob.status == JobStatus.pending)))
        for job in requeued:
            self.redis.delete(self._key("sent", job.id))
            self.events.publish(job.id, {"type": "queued" if job.status == JobStatus.pending
                                         else "failed", "job_id": job.id, "error": job.error})
        for job in pending:
            if not self.redis.exists(self._key("sent", job.id)):
                self.enqueue(job.id, job.queue)
