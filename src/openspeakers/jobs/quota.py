"""Per-API-key work limits, checked when jobs are enqueued: concurrent jobs and characters
per day (a rolling 24 hours). A key without a limit set is not limited.

Counted from the jobs table, so every API process agrees; two requests racing may both pass
the last free slot (the limit is a bound on sustained use, not an exact counter).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from openspeakers.db.models import ApiKey, JobStatus, TTSJob, utcnow

DAY = timedelta(days=1)
BUSY_RETRY_S = 5
"""Retry-After when a key's concurrent jobs are full: about one short job."""


class LimitExceededError(RuntimeError):
    """A limit was reached (429): the message names it, `retry_after` says when to come back."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after + 0.999))


def check(session: Session, jobs: Sequence[TTSJob]) -> None:
    """Raise `LimitExceededError` if adding `jobs` would pass their key's limits."""
    key_ids = {job.api_key_id for job in jobs if job.api_key_id}
    for key_id in key_ids:
        key = session.get(ApiKey, key_id)
        if key is None:
            continue
        mine = [job for job in jobs if job.api_key_id == key_id]
        if key.max_jobs is not None:
            active = session.scalar(select(func.count()).select_from(TTSJob).where(
                TTSJob.api_key_id == key_id,
                TTSJob.status.in_((JobStatus.pending, JobStatus.running)))) or 0
            if active + len(mine) > key.max_jobs:
                raise LimitExceededError(
                    f"API key '{key.name}' has {active} jobs pending or running; its limit "
                    f"max_jobs is {key.max_jobs} (this request adds {len(mine)})", BUSY_RETRY_S)
        if key.chars_per_day is not None:
            since = utcnow() - DAY
            used = session.scalar(select(func.coalesce(func.sum(func.length(TTSJob.text)), 0))
                                  .where(TTSJob.api_key_id == key_id,
                                         TTSJob.queued_at >= since)) or 0
            adding = sum(len(job.text) for job in mine)
            if used + adding > key.chars_per_day:
                oldest = session.scalar(select(func.min(TTSJob.queued_at)).where(
                    TTSJob.api_key_id == key_id, TTSJob.queued_at >= since))
                wait = ((_utc(oldest) + DAY) - utcnow()).total_seconds() if oldest else 60.0
                raise LimitExceededError(
                    f"API key '{key.name}' used {used} characters in the last 24 hours; its "
                    f"limit chars_per_day is {key.chars_per_day} (this request adds {adding})",
                    wait)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
