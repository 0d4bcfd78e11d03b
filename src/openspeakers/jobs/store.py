"""Row-level operations on jobs that every executor shares (claiming, recovery, depths)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.jobs.runner import partial_path


def claim(sessions: sessionmaker[Session], job_id: str) -> bool:
    """Mark a pending job running; False if someone else claimed it or it was cancelled.

    The conditional UPDATE is what makes a job run once, however often it is delivered.
    """
    with sessions.begin() as session:
        claimed = session.execute(
            update(TTSJob).where(TTSJob.id == job_id, TTSJob.status == JobStatus.pending)
            .values(status=JobStatus.running, started_at=utcnow(), attempts=TTSJob.attempts + 1))
        return claimed.rowcount == 1  # type: ignore[attr-defined]


def pending_ids(sessions: sessionmaker[Session], queue: str, limit: int = 5) -> list[str]:
    with sessions() as session:
        return list(session.scalars(
            select(TTSJob.id).where(TTSJob.queue == queue, TTSJob.status == JobStatus.pending)
            .order_by(TTSJob.queued_at).limit(limit)))


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


def queue_depths(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(select(TTSJob.queue, func.count()).where(
            TTSJob.status == JobStatus.pending).group_by(TTSJob.queue)).all()
    return {queue: count for queue, count in rows}
