"""Row-level operations on jobs that every executor shares (claiming, recovery, depths)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.jobs.runner import partial_path

log = logging.getLogger(__name__)


def claim(sessions: sessionmaker[Session], job_id: str, **values: object) -> bool:
    """Mark a pending job running (also setting `values`, e.g. the Celery task running it);
    False if someone else claimed it or it was cancelled.

    The conditional UPDATE is what makes a job run once, however often it is delivered.
    """
    with sessions.begin() as session:
        claimed = session.execute(
            update(TTSJob).where(TTSJob.id == job_id, TTSJob.status == JobStatus.pending)
            .values(status=JobStatus.running, started_at=utcnow(), attempts=TTSJob.attempts + 1,
                    **values))
        return claimed.rowcount == 1  # type: ignore[attr-defined]


CLAIM_ORDER = (TTSJob.priority, func.coalesce(TTSJob.batch_index, 0), TTSJob.queued_at,
               TTSJob.id)
"""Fair order: interactive jobs (priority 0) first, oldest first; then batch lines, the first
line of every waiting batch before the second of any, so a long batch cannot hold back
another batch, and a single job waits for at most the lines already running."""


def pending_ids(sessions: sessionmaker[Session], queue: str, limit: int = 5) -> list[str]:
    with sessions() as session:
        return list(session.scalars(
            select(TTSJob.id).where(TTSJob.queue == queue, TTSJob.status == JobStatus.pending)
            .order_by(*CLAIM_ORDER).limit(limit)))


def claim_next(sessions: sessionmaker[Session], queue: str, **values: object) -> str | None:
    """Claim the first pending job of `queue` in `CLAIM_ORDER`; None when none is pending.

    Every executor claims through here (the local worker threads, and the Celery worker that a
    queue's wake-up ticket reaches), so the order is decided by the table, not by the order in
    which tickets arrive. A job taken by another worker between the read and the claim is
    skipped and the next one tried; the list is read again until a claim succeeds or nothing
    is pending, so a worker never goes idle while its queue has work.
    """
    while ids := pending_ids(sessions, queue):
        for job_id in ids:
            if claim(sessions, job_id, **values):
                return job_id
    return None


def requeue_or_fail(job: TTSJob, *, max_attempts: int, audio_dir: Path, why: str) -> None:
    """A job whose worker died: back to pending, or failed once its attempts are spent."""
    partial_path(audio_dir, job.id).unlink(missing_ok=True)
    if job.attempts >= max_attempts:
        job.status = JobStatus.failed
        job.finished_at = utcnow()
        job.error = f"interrupted {job.attempts} times ({why}); giving up"
    else:
        job.status = JobStatus.pending
        job.progress = 0.0
        job.error = f"re-queued after interrupted attempt {job.attempts} ({why})"


def settle_interrupted(sessions: sessionmaker[Session], job_id: str, *, max_attempts: int,
                       audio_dir: Path, why: str) -> TTSJob | None:
    """A job whose run ended in an error its runner could not record (the database could not
    be written): re-queued, or failed with `why` once its attempts are spent. None when the
    row is no longer `running` (the runner did record an end after all)."""
    with sessions.begin() as session:
        job = session.get(TTSJob, job_id)
        if job is None or job.status != JobStatus.running:
            return None
        if not job.audio_path:
            (audio_dir / f"{job.id}.{job.output_format}").unlink(missing_ok=True)
        requeue_or_fail(job, max_attempts=max_attempts, audio_dir=audio_dir, why=why)
        return job


def ready_audio_dir(audio_dir: Path) -> None:
    """Recreate AUDIO_OUTPUT_DIR if it was deleted while the server ran (before each job)."""
    if not audio_dir.is_dir():
        log.warning("the audio directory %s is missing; creating it again", audio_dir)
        audio_dir.mkdir(parents=True, exist_ok=True)


def queue_depths(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(select(TTSJob.queue, func.count()).where(
            TTSJob.status == JobStatus.pending).group_by(TTSJob.queue)).all()
    return {queue: count for queue, count in rows}
