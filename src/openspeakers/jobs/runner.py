"""Run one claimed job: engine -> events and audio file -> row. Shared by every executor."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from openspeakers.audio.encoding import AudioEncoder
from openspeakers.audio.tempo import change_tempo
from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.engines.base import GenerateRequest
from openspeakers.engines.manager import ModelManager
from openspeakers.jobs.events import EventBus

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    pass


def audio_filename(job: TTSJob) -> str:
    return f"{job.id}.{job.output_format}"


def partial_path(audio_dir: Path, job_id: str) -> Path:
    """Audio is written here first and renamed when complete, so no partial file is ever served."""
    return audio_dir / f".{job_id}.partial"


def request_from_job(job: TTSJob) -> GenerateRequest:
    params = dict(job.parameters or {})
    return GenerateRequest(text=job.text, voice=job.voice, speed=params.pop("speed", 1.0),
                           pitch=params.pop("pitch", 1.0), language=params.pop("language", None),
                           instructions=params.pop("instructions", None),
                           seed=params.pop("seed", None), params=params.pop("engine", {}))


def run_job(job_id: str, *, sessions: sessionmaker[Session], manager: ModelManager,
            events: EventBus, audio_dir: Path, cancelled: Callable[[str], bool]) -> str:
    """Generate a job already marked running; returns its final status."""
    with sessions() as session:
        job = session.get(TTSJob, job_id)
        if job is None:
            return JobStatus.failed
        request = request_from_job(job)
        model_id, fmt = job.model_id, job.output_format
        keep_alive = (job.parameters or {}).get("keep_alive")
        tempo = float((job.parameters or {}).get("tempo", 1.0))
    tmp = partial_path(audio_dir, job_id)
    started = time.monotonic()
    try:
        events.publish(job_id, {"type": "loading", "job_id": job_id, "model_id": model_id})
        with manager.use(model_id, keep_alive=keep_alive) as engine:
            events.publish(job_id, {"type": "generating", "job_id": job_id, "progress": 0.0})
            samples, rate = 0, engine.sample_rate
            with tmp.open("wb") as sink:
                encoder: AudioEncoder | None = None
                for chunk in engine.stream_generate(request):
                    if cancelled(job_id):
                        raise JobCancelled
                    if encoder is None:
                        rate = chunk.sample_rate
                        encoder = AudioEncoder(sink, fmt, rate)  # type: ignore[arg-type]
                    audio = change_tempo(chunk.audio, rate, tempo)
                    encoder.write(audio)
                    samples += len(audio)
                    events.publish(job_id, {"type": "audio_chunk", "job_id": job_id,
                                            "sample_rate": rate, "audio": audio,
                                            "progress": round(chunk.progress, 4)})
                    events.publish(job_id, {"type": "generating", "job_id": job_id,
                                            "progress": round(chunk.progress, 4)})
                    _update(sessions, job_id, progress=chunk.progress)
                if encoder is None:
                    raise RuntimeError("the engine produced no audio")
                encoder.close()
        final = audio_dir / f"{job_id}.{fmt}"
        tmp.replace(final)
        duration = samples / rate
        _update(sessions, job_id, status=JobStatus.complete, progress=1.0, finished_at=utcnow(),
                audio_path=final.name, duration_seconds=duration, sample_rate=rate, error=None)
        events.publish(job_id, {"type": "complete", "job_id": job_id, "duration": duration,
                                "seconds": round(time.monotonic() - started, 3)})
        return JobStatus.complete
    except JobCancelled:
        tmp.unlink(missing_ok=True)
        _update(sessions, job_id, status=JobStatus.cancelled, finished_at=utcnow(),
                error="cancelled while running")
        events.publish(job_id, {"type": "cancelled", "job_id": job_id})
        return JobStatus.cancelled
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        log.exception("job %s failed", job_id)
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _update(sessions, job_id, status=JobStatus.failed, finished_at=utcnow(), error=message)
        events.publish(job_id, {"type": "failed", "job_id": job_id, "error": message})
        return JobStatus.failed


def _update(sessions: sessionmaker[Session], job_id: str, **values: object) -> None:
    with sessions.begin() as session:
        job = session.get(TTSJob, job_id)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)
