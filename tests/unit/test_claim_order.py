"""Fair claim order: interactive jobs first, then batch lines interleaved across batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from openspeakers.db.models import JobStatus, TTSJob
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.jobs.service import BATCH_PRIORITY
from openspeakers.jobs.store import claim_next, pending_ids


def test_single_jobs_go_first_and_batches_interleave(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate(url)
    sessions = make_session_factory(make_engine(url))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows: list[TTSJob] = []

    def add(job_id: str, batch: str | None = None, index: int | None = None) -> None:
        rows.append(TTSJob(id=job_id, model_id="piper", text="x", parameters={}, queue="tts.cpu",
                           status=JobStatus.pending, batch_id=batch, batch_index=index,
                           priority=BATCH_PRIORITY if batch else 0,
                           queued_at=start + timedelta(seconds=len(rows))))

    for i in range(4):
        add(f"a{i}", "A", i)  # a long batch, submitted first
    for i in range(2):
        add(f"b{i}", "B", i)  # a second batch
    add("single")  # a single job, submitted last
    with sessions.begin() as session:
        session.add_all(rows)
    assert pending_ids(sessions, "tts.cpu", limit=10) == [
        "single", "a0", "b0", "a1", "b1", "a2", "a3"]


def test_claim_next_takes_the_first_in_fair_order_once(tmp_path: Path) -> None:
    """The one claim every executor uses: fair order, each job once, a job taken elsewhere
    skipped, and the claimer's values (the Celery task running it) written with the claim."""
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate(url)
    sessions = make_session_factory(make_engine(url))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with sessions.begin() as session:
        session.add_all([TTSJob(id=job_id, model_id="piper", text="x", parameters={},
                                queue="tts.cpu", status=JobStatus.pending, batch_id=batch,
                                batch_index=index, priority=BATCH_PRIORITY if batch else 0,
                                queued_at=start + timedelta(seconds=n))
                         for n, (job_id, batch, index) in enumerate(
                             [("a0", "A", 0), ("a1", "A", 1), ("single", None, None)])])
        session.add(TTSJob(id="other", model_id="kokoro", text="x", parameters={},
                           queue="tts.kokoro", status=JobStatus.pending, queued_at=start))
    with sessions.begin() as session:  # taken by another worker meanwhile
        session.get(TTSJob, "single").status = JobStatus.running  # type: ignore[union-attr]
    claimed = [claim_next(sessions, "tts.cpu", celery_task_id=f"t{n}") for n in range(3)]
    assert claimed == ["a0", "a1", None]
    with sessions() as session:
        a0 = session.get(TTSJob, "a0")
        assert a0 is not None and a0.status == JobStatus.running and a0.attempts == 1
        assert a0.celery_task_id == "t0"
        assert session.get(TTSJob, "other").status == JobStatus.pending  # type: ignore[union-attr]
