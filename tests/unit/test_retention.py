"""Retention and deletion on a real database and data directory: exactly the finished jobs'
files go, never a pending or running job's (its `.partial` while it is written)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob, new_id, utcnow
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.jobs.retention import History, JobNotFinishedError, RetentionLoop
from openspeakers.jobs.service import JobNotFoundError


@pytest.fixture
def sessions(settings: Settings) -> sessionmaker[Session]:
    settings.ensure_dirs()
    migrate(settings.resolved_database_url)
    return make_session_factory(make_engine(settings.resolved_database_url))


def add_job(sessions: sessionmaker[Session], settings: Settings, status: JobStatus, *,
            days_ago: float, finished: bool = True) -> str:
    """A job row as the runner leaves it, with its files in AUDIO_OUTPUT_DIR."""
    job_id = new_id()
    when = utcnow() - timedelta(days=days_ago)
    audio = settings.audio_output_dir
    row = TTSJob(id=job_id, model_id="piper", voice="joe", text="x", parameters={},
                 output_format="wav", status=status, queue="tts.cpu", progress=0.0,
                 attempts=1, queued_at=when)
    if status == JobStatus.complete:
        row.audio_path = f"{job_id}.wav"
        (audio / f"{job_id}.wav").write_bytes(b"RIFF" + b"\0" * 996)
        (audio / f"{job_id}.words.json").write_text("[]")
    if status == JobStatus.running:
        (audio / f".{job_id}.partial").write_bytes(b"\0" * 500)
    if finished and status in (JobStatus.complete, JobStatus.failed, JobStatus.cancelled):
        row.finished_at = when
    with sessions.begin() as session:
        session.add(row)
    return job_id


def files(settings: Settings) -> set[str]:
    return {p.name for p in settings.audio_output_dir.iterdir()}


def status_of(sessions: sessionmaker[Session], job_id: str) -> TTSJob | None:
    with sessions() as session:
        return session.get(TTSJob, job_id)


@pytest.fixture
def jobs(sessions: sessionmaker[Session], settings: Settings) -> dict[str, str]:
    return {
        "old_complete": add_job(sessions, settings, JobStatus.complete, days_ago=10),
        "new_complete": add_job(sessions, settings, JobStatus.complete, days_ago=1),
        "old_failed": add_job(sessions, settings, JobStatus.failed, days_ago=10),
        # cancelled before it started: no finish time, its queue time counts
        "old_cancelled": add_job(sessions, settings, JobStatus.cancelled, days_ago=10,
                                 finished=False),
        "old_running": add_job(sessions, settings, JobStatus.running, days_ago=10),
        "old_pending": add_job(sessions, settings, JobStatus.pending, days_ago=10),
    }


def test_prune_deletes_old_audio_only(sessions: sessionmaker[Session], settings: Settings,
                                      jobs: dict[str, str]) -> None:
    history = History(sessions=sessions, settings=settings)
    before = files(settings)
    removal = history.prune(older_than_days=7, delete_rows=False)
    old = jobs["old_complete"]
    assert removal.audio_cleared == [old] and removal.deleted == []
    assert files(settings) == before - {f"{old}.wav", f"{old}.words.json"}
    assert removal.files == 2 and removal.bytes_freed == 1000 + 2
    row = status_of(sessions, old)
    assert row is not None and row.status == "complete" and row.audio_path is None
    assert f".{jobs['old_running']}.partial" in files(settings), "a running job's file stays"
    assert history.prune(older_than_days=7, delete_rows=False).files == 0, "idempotent"


def test_prune_with_rows(sessions: sessionmaker[Session], settings: Settings,
                         jobs: dict[str, str]) -> None:
    history = History(sessions=sessions, settings=settings)
    removal = history.prune(older_than_days=7, delete_rows=True)
    gone = {jobs["old_complete"], jobs["old_failed"], jobs["old_cancelled"]}
    assert set(removal.deleted) == gone
    for name, job_id in jobs.items():
        assert (status_of(sessions, job_id) is None) == (job_id in gone), name
    assert files(settings) == {f"{jobs['new_complete']}.wav",
                               f"{jobs['new_complete']}.words.json",
                               f".{jobs['old_running']}.partial"}


def test_delete_one_and_many(sessions: sessionmaker[Session], settings: Settings,
                             jobs: dict[str, str]) -> None:
    history = History(sessions=sessions, settings=settings)
    with pytest.raises(JobNotFinishedError, match="cancel it first"):
        history.delete(jobs["old_running"])
    with pytest.raises(JobNotFoundError):
        history.delete(new_id())
    removal = history.delete(jobs["new_complete"])
    assert removal.deleted == [jobs["new_complete"]] and removal.files == 2
    assert not any(jobs["new_complete"] in name for name in files(settings))
    many = history.delete_many([jobs["old_failed"], jobs["old_pending"], jobs["old_running"]])
    assert many.deleted == [jobs["old_failed"]]
    assert many.skipped == {jobs["old_pending"]: "pending", jobs["old_running"]: "running"}
    assert status_of(sessions, jobs["old_pending"]) is not None
    assert f".{jobs['old_running']}.partial" in files(settings)


def test_usage_counts_every_file(sessions: sessionmaker[Session], settings: Settings,
                                 jobs: dict[str, str]) -> None:
    usage = History(sessions=sessions, settings=settings).usage()
    on_disk = sum(p.stat().st_size for p in Path(settings.audio_output_dir).iterdir())
    assert (usage.bytes, usage.files) == (on_disk, len(files(settings)))


def test_loop_runs_at_start_and_stops(sessions: sessionmaker[Session], settings: Settings,
                                      jobs: dict[str, str]) -> None:
    configured = settings.model_copy(update={"audio_retention_days": 7.0,
                                             "retention_interval": 0.05})
    loop = RetentionLoop(History(sessions=sessions, settings=configured))
    loop.start()
    deadline = time.monotonic() + 10
    while f"{jobs['old_complete']}.wav" in files(settings) and time.monotonic() < deadline:
        time.sleep(0.05)
    loop.stop()
    assert f"{jobs['old_complete']}.wav" not in files(settings)
    assert f"{jobs['new_complete']}.wav" in files(settings)
    off = RetentionLoop(History(sessions=sessions, settings=settings))  # 0 days: keep all
    off.start()
    assert off._thread is None
