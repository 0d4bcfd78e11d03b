"""Managing the history: delete finished jobs and their audio, one by one, in bulk, or by age.

Only finished jobs (complete, failed, cancelled) are ever touched: their status never changes
again, so selecting them and deleting them under the same condition cannot race with a worker.
A pending or running job's files (`.<id>.partial` while it is written) are never looked at.
A job's files are `<id>.<format>` and `<id>.words.json` (captions) in AUDIO_OUTPUT_DIR.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.jobs.service import JobNotFoundError, JobStateError

log = logging.getLogger(__name__)

FINISHED = (JobStatus.complete, JobStatus.failed, JobStatus.cancelled)
_JOB_ID = re.compile(r"[0-9a-f]{32}")
AUDIO_DELETED = "audio deleted by retention (AUDIO_RETENTION_DAYS)"


class JobNotFinishedError(JobStateError):
    """Only finished jobs can be deleted (409): cancel a pending or running one first."""


@dataclass
class Removal:
    """What a delete or prune did."""

    deleted: list[str] = field(default_factory=list)
    """Jobs whose rows were deleted (with their files)."""
    audio_cleared: list[str] = field(default_factory=list)
    """Jobs kept in the history whose audio files were deleted."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Job id -> why it was left alone (not found, not finished)."""
    files: int = 0
    bytes_freed: int = 0


@dataclass(frozen=True)
class AudioUsage:
    bytes: int
    files: int


def job_files(audio_dir: Path, job_id: str) -> list[Path]:
    """The finished files of one job (never its `.partial`, which starts with a dot)."""
    if not _JOB_ID.fullmatch(job_id):
        return []
    return [p for p in audio_dir.glob(f"{job_id}.*") if p.is_file()]


def audio_usage(audio_dir: Path) -> AudioUsage:
    """Bytes and files in AUDIO_OUTPUT_DIR (partial files of running jobs included)."""
    total = count = 0
    if audio_dir.is_dir():
        for path in audio_dir.iterdir():
            if path.is_file():
                total += path.stat().st_size
                count += 1
    return AudioUsage(total, count)


class History:
    """Deletes finished jobs and their audio; the API, the CLI and the retention loop use it."""

    def __init__(self, *, sessions: sessionmaker[Session], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings

    @property
    def audio_dir(self) -> Path:
        return self.settings.audio_output_dir

    def delete(self, job_id: str) -> Removal:
        """Delete one finished job; JobNotFoundError if there is none, JobNotFinishedError if
        it is still pending or running."""
        removal = self.delete_many([job_id])
        if job_id in removal.skipped:
            why = removal.skipped[job_id]
            if why == "not found":
                raise JobNotFoundError(f"no job with id '{job_id}'")
            raise JobNotFinishedError(f"job '{job_id}' is {why}; only finished jobs can be "
                                      "deleted (cancel it first: DELETE /api/tts/jobs/{id})")
        return removal

    def delete_many(self, job_ids: Iterable[str]) -> Removal:
        """Delete the finished jobs among `job_ids`; the others are reported as skipped."""
        wanted = list(dict.fromkeys(job_ids))
        removal = Removal()
        with self.sessions.begin() as session:
            found = {job_id: status for job_id, status in session.execute(
                select(TTSJob.id, TTSJob.status).where(TTSJob.id.in_(wanted)))}
            finished = [i for i in wanted if found.get(i) in FINISHED]
            if finished:
                session.execute(delete(TTSJob).where(TTSJob.id.in_(finished),
                                                     TTSJob.status.in_(FINISHED)))
        for job_id in wanted:
            if job_id not in found:
                removal.skipped[job_id] = "not found"
            elif job_id not in finished:
                removal.skipped[job_id] = str(found[job_id])
        removal.deleted = finished
        self._remove_files(finished, removal)
        return removal

    def prune(self, *, older_than_days: float, delete_rows: bool,
              now: datetime | None = None) -> Removal:
        """Delete the audio of jobs that finished more than `older_than_days` ago, and with
        `delete_rows` their history rows too. Jobs cancelled before they started have no
        finish time: their queue time counts."""
        cutoff = (now or utcnow()) - timedelta(days=older_than_days)
        when = func.coalesce(TTSJob.finished_at, TTSJob.queued_at)
        old = (TTSJob.status.in_(FINISHED), when < cutoff)
        removal = Removal()
        with self.sessions.begin() as session:
            if delete_rows:
                ids = list(session.scalars(select(TTSJob.id).where(*old)))
                if ids:
                    session.execute(delete(TTSJob).where(TTSJob.id.in_(ids), *old))
                removal.deleted = ids
            else:
                ids = list(session.scalars(select(TTSJob.id).where(
                    *old, TTSJob.audio_path.is_not(None))))
                if ids:
                    session.execute(update(TTSJob).where(TTSJob.id.in_(ids), *old)
                                    .values(audio_path=None))
                removal.audio_cleared = ids
        self._remove_files(ids, removal)
        return removal

    def prune_by_settings(self) -> Removal | None:
        """One retention run as configured (None when AUDIO_RETENTION_DAYS is 0: keep all)."""
        days = self.settings.audio_retention_days
        if days <= 0:
            return None
        return self.prune(older_than_days=days, delete_rows=self.settings.retention_delete_rows)

    def usage(self) -> AudioUsage:
        return audio_usage(self.audio_dir)

    def _remove_files(self, job_ids: Iterable[str], removal: Removal) -> None:
        for job_id in job_ids:
            for path in job_files(self.audio_dir, job_id):
                try:
                    size = path.stat().st_size
                    path.unlink()
                except FileNotFoundError:
                    continue
                removal.files += 1
                removal.bytes_freed += size


class RetentionLoop:
    """Runs `History.prune_by_settings` at start-up and every RETENTION_INTERVAL seconds, in
    a thread that `stop()` ends; nothing runs when AUDIO_RETENTION_DAYS is 0."""

    def __init__(self, history: History) -> None:
        self.history = history
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.history.settings.audio_retention_days <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                removal = self.history.prune_by_settings()
                if removal and (removal.files or removal.deleted):
                    log.info("retention: %d files (%d bytes) deleted, %d jobs removed",
                             removal.files, removal.bytes_freed, len(removal.deleted))
            except Exception:  # a failed run is retried at the next interval
                log.exception("retention run failed")
            self._stop.wait(self.history.settings.retention_interval)
