"""Run one claimed job: engine -> events and audio file -> row. Shared by every executor."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.analysis.captions import save_words
from openspeakers.analysis.service import Analysis
from openspeakers.audio.encoding import AudioEncoder
from openspeakers.audio.loudness import Leveling
from openspeakers.audio.tempo import change_tempo
from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.engines.base import AudioChunk, GenerateRequest, TTSModelBase
from openspeakers.engines.manager import ModelManager
from openspeakers.engines.speech import SpeechPlan
from openspeakers.engines.speech import stream as speak
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.pronunciation import job_plan
from openspeakers.jobs.result_cache import ResultCache, key_now, store_finished
from openspeakers.jobs.rows import (
    error_message,
    mark_cancelled,
    mark_failed,
    partial_path,
    request_from_job,
    update,
)
from openspeakers.runtime import Cancelled, CancelSignal
from openspeakers.text.job import job_spoken_form
from openspeakers.voices.matching import run_task
from openspeakers.voices.profiles import load_profile

log = logging.getLogger(__name__)

__all__ = ["audio_filename", "mark_cancelled", "mark_failed", "partial_path", "run_job"]

SIMILARITY_SECONDS = 60.0
"""Speaker similarity of a job's output is measured on (at most) its first minute."""


def audio_filename(job: TTSJob) -> str:
    return f"{job.id}.{job.output_format}"


def run_job(job_id: str, *, sessions: sessionmaker[Session], manager: ModelManager,
            events: EventBus, audio_dir: Path, cancelled: Callable[[str], bool],
            analysis: Analysis | None = None, result_cache: ResultCache | None = None) -> str:
    """Generate a job already marked running; returns its final status.

    `cancelled(job_id)` is the executor's cancel flag: the job's `CancelSignal` asks it before
    each sentence or chunk, and engines that generate in a thread ask it every step. Analysis
    (similarity, listening checks, voice matching) comes from the manager's runtime unless
    given. Jobs with a `task` parameter (voice matching) go to their own module. A job with a
    voice profile gets the profile's reference (and engine voice) in its request, and its
    output's speaker similarity to the reference stored; a job with `verify` is transcribed
    after each generation and regenerated with another seed while its word error rate is too
    high. A finished output is kept in `result_cache` (if given) under the key the job had
    when it was claimed.
    """
    cancel = CancelSignal(lambda: cancelled(job_id))
    with sessions() as session:
        job = session.get(TTSJob, job_id)
        if job is None:
            return JobStatus.failed
        request = request_from_job(job)
        model_id, fmt, text = job.model_id, job.output_format, job.text
        parameters = dict(job.parameters or {})
        profile_id = job.voice_profile_id
        result_key = key_now(session, job) if result_cache is not None else None
        leveling = Leveling.of(manager.runtime, model_id, job.voice, parameters)
    if parameters.get("task"):
        return run_task(str(parameters["task"]), job_id, sessions=sessions, manager=manager,
                        events=events, audio_dir=audio_dir, cancel=cancel,
                        analysis=analysis or manager.runtime.analysis)
    keep_alive = parameters.get("keep_alive")
    tempo = float(parameters.get("tempo", 1.0))
    verify: dict[str, Any] | None = parameters.get("verify") or None
    if analysis is None and (verify or profile_id):
        analysis = manager.runtime.analysis
    tmp = partial_path(audio_dir, job_id)
    kept_path = audio_dir / f".{job_id}.kept.partial"
    started = time.monotonic()
    try:
        reference = None
        if profile_id and analysis is not None:
            reference = load_profile(sessions, analysis.voices_dir, profile_id, model_id)
            request = reference.apply(request)
        events.publish(job_id, {"type": "loading", "job_id": job_id, "model_id": model_id})
        with manager.use(model_id, keep_alive=keep_alive) as engine:
            speech = job_plan(sessions, job_id, engine, model_id, text)  # SSML, lexicon
            text = speech.spoken_text  # what a listening check should hear
            spoken = job_spoken_form(engine, request, parameters,
                                     settings=manager.runtime.settings, job_id=job_id,
                                     publish=lambda event: events.publish(job_id, event))
            request = replace(request, spoken=spoken)
            if spoken.warnings:
                update(sessions, job_id, warnings=[*speech.warnings, *spoken.warnings])
            events.publish(job_id, {"type": "generating", "job_id": job_id, "progress": 0.0})
            tries: list[dict[str, Any]] = []
            best: tuple[float, Take] | None = None
            max_tries = int(verify["max_tries"]) if verify else 1
            for attempt in range(1, max_tries + 1):
                attempt_request = request if attempt == 1 else replace(
                    request, seed=(request.seed or 0) + attempt - 1)
                spoken.begin()
                take = _generate(engine, attempt_request, sink=tmp, fmt=fmt, tempo=tempo,
                                 job_id=job_id, sessions=sessions, events=events,
                                 cancel=cancel,
                                 keep=None if verify else SIMILARITY_SECONDS if reference else 0,
                                 speech=speech, leveling=leveling)
                if not verify or analysis is None:
                    best = (0.0, take)
                    break
                heard = analysis.listen(spoken.text or text, take.audio, take.rate,
                                        heard_as=spoken.heard)
                tries.append({"attempt": attempt, "seed": attempt_request.seed,
                              "wer": heard.wer, "transcript": heard.transcript.text[:2000],
                              "seconds": round(take.seconds, 3)})
                if best is None or heard.wer < best[0]:
                    tmp.replace(kept_path)
                    best = (heard.wer, take)
                    save_words(audio_dir, job_id, heard.transcript)
                else:
                    tmp.unlink(missing_ok=True)
                update(sessions, job_id, verify_tries=list(tries), wer=best[0])
                if heard.wer <= float(verify["max_wer"]):
                    break
                if attempt < max_tries:
                    events.publish(job_id, {"type": "retry", "job_id": job_id,
                                            "attempt": attempt + 1, "wer": heard.wer})
            if verify and kept_path.exists():
                kept_path.replace(tmp)
        if best is None:
            raise RuntimeError("no generation was kept")
        take = best[1]
        similarity = None
        if reference is not None and analysis is not None:
            similarity = reference.similarity(analysis, take.audio, take.rate)
        final = audio_dir / f"{job_id}.{fmt}"
        tmp.replace(final)
        duration = take.samples / take.rate
        late = {"warnings": [*speech.warnings, *spoken.warnings]} if spoken.warnings else {}
        update(sessions, job_id, status=JobStatus.complete, progress=1.0, finished_at=utcnow(),
                audio_path=final.name, duration_seconds=duration, sample_rate=take.rate,
                error=None, similarity=similarity, spoken_text=spoken.text or None, **late)
        store_finished(result_cache, result_key, fmt, final, sample_rate=take.rate,
                       duration=duration, spoken_text=spoken.text or None)
        events.publish(job_id, {"type": "complete", "job_id": job_id, "duration": duration,
                                "seconds": round(time.monotonic() - started, 3)})
        return JobStatus.complete
    except Cancelled:
        tmp.unlink(missing_ok=True)
        kept_path.unlink(missing_ok=True)
        return mark_cancelled(sessions, events, job_id)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        kept_path.unlink(missing_ok=True)
        log.exception("job %s failed", job_id)
        return mark_failed(sessions, events, job_id, error_message(exc))


@dataclass
class Take:
    """One generation of a job: its sample count and rate (and its audio, when kept)."""

    samples: int
    rate: int
    audio: np.ndarray
    seconds: float


def _generate(engine: TTSModelBase, request: GenerateRequest, *, sink: Path, fmt: str,
              tempo: float, job_id: str, sessions: sessionmaker[Session], events: EventBus,
              cancel: CancelSignal, keep: float | None,
              speech: SpeechPlan | None = None,
              leveling: Leveling | None = None) -> Take:
    """Stream `request` from `engine` into an encoded file at `sink`, publishing the chunks;
    the first `keep` seconds of audio (None: all) are returned for listening.

    The cancel signal is checked before each chunk is asked for; on a cancel or a failure the
    engine's stream is closed (a threaded backend is stopped and joined there, so nothing runs
    on after this returns) and the encoder is closed. `leveling` brings each chunk to the
    job's loudness before anyone hears it (audio/loudness.py)."""
    started = time.monotonic()
    samples, rate = 0, engine.sample_rate
    kept: list[np.ndarray] = []
    kept_samples = 0
    encoder: AudioEncoder | None = None
    stream_of = (engine.stream_generate(request, cancel)
                 if speech is None or speech.plain(request.text)
                 else speak(engine, request, speech, cancel))
    with sink.open("wb") as out, closing(stream_of) as stream:
        try:
            chunks = _tempo(_checked(stream, cancel), tempo)
            for chunk in leveling.stream(chunks) if leveling else chunks:
                rate, audio = chunk.sample_rate, chunk.audio
                # listeners first: the file's encoder (opened on the first chunk) is not in the
                # way of the first audio a streaming client hears
                events.publish(job_id, {"type": "audio_chunk", "job_id": job_id,
                                        "sample_rate": rate, "audio": audio,
                                        "progress": round(chunk.progress, 4)})
                if encoder is None:
                    encoder = AudioEncoder(out, fmt, rate)  # type: ignore[arg-type]
                encoder.write(audio)
                samples += len(audio)
                if keep is None or kept_samples < keep * rate:
                    kept.append(np.asarray(audio, np.float32))
                    kept_samples += len(audio)
                events.publish(job_id, {"type": "generating", "job_id": job_id,
                                        "progress": round(chunk.progress, 4)})
                if chunk.progress < 1.0:  # the last chunk's progress comes with `complete`
                    update(sessions, job_id, progress=chunk.progress)
            if encoder is None:
                raise RuntimeError("the engine produced no audio")
            encoder.close()
        finally:
            if encoder is not None:
                with contextlib.suppress(Exception):  # already failing: the file is deleted
                    encoder.close()
    audio = np.concatenate(kept) if kept else np.zeros(0, np.float32)
    return Take(samples, rate, audio, time.monotonic() - started)


def _tempo(chunks: Iterator[AudioChunk], tempo: float) -> Iterator[AudioChunk]:
    """`chunks` played `tempo` times faster (pitch kept)."""
    for chunk in chunks:
        yield replace(chunk, audio=change_tempo(chunk.audio, chunk.sample_rate, tempo))


def _checked(stream: Iterator[AudioChunk], cancel: CancelSignal) -> Iterator[AudioChunk]:
    """`stream`'s chunks, with `cancel` checked before each is asked for (and after the last)."""
    while True:
        cancel.check()
        chunk = next(stream, None)
        if chunk is None:
            return
        yield chunk
