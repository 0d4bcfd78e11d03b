"""What every kind of job run writes to its row and tells its listeners (the runner and the
tasks it hands jobs to, such as voice matching, share these; neither imports the other's
internals)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.engines.base import GenerateRequest
from openspeakers.jobs.events import EventBus


def partial_path(audio_dir: Path, job_id: str) -> Path:
    """Audio is written here first and renamed when complete, so no partial file is ever served."""
    return audio_dir / f".{job_id}.partial"


def request_from_job(job: TTSJob) -> GenerateRequest:
    params = dict(job.parameters or {})
    return GenerateRequest(text=job.text, voice=job.voice, speed=params.pop("speed", 1.0),
                           pitch=params.pop("pitch", 1.0), language=params.pop("language", None),
                           instructions=params.pop("instructions", None),
                           seed=params.pop("seed", None), params=params.pop("engine", {}))


def update(sessions: sessionmaker[Session], job_id: str, **values: object) -> None:
    """Set columns of one job row (a row deleted meanwhile is left alone)."""
    with sessions.begin() as session:
        job = session.get(TTSJob, job_id)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)


def error_message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def mark_cancelled(sessions: sessionmaker[Session], events: EventBus, job_id: str) -> str:
    """A running job stopped at a user's request: row and listeners told."""
    update(sessions, job_id, status=JobStatus.cancelled, finished_at=utcnow(),
           error="cancelled while running")
    events.publish(job_id, {"type": "cancelled", "job_id": job_id})
    return JobStatus.cancelled


def mark_failed(sessions: sessionmaker[Session], events: EventBus, job_id: str,
                message: str) -> str:
    update(sessions, job_id, status=JobStatus.failed, finished_at=utcnow(), error=message)
    events.publish(job_id, {"type": "failed", "job_id": job_id, "error": message})
    return JobStatus.failed
