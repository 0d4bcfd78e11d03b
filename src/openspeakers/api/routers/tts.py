"""/api/tts: submit jobs, read them, fetch audio, cancel, and batches."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response, StreamingResponse

from openspeakers.analysis import captions as caption_text
from openspeakers.api.deps import JobsDep, key_id
from openspeakers.api.routers.voices import get_analysis
from openspeakers.api.strict import CheckedRoute
from openspeakers.api.zipstream import zip_files
from openspeakers.audio.encoding import CONTENT_TYPES
from openspeakers.db.models import JobStatus
from openspeakers.engines.base import InvalidRequestError
from openspeakers.jobs.events import until_terminal
from openspeakers.jobs.result_cache import served_from_cache
from openspeakers.jobs.service import JobSpec, TooLargeError
from openspeakers.schemas import (
    BatchIn,
    BatchOut,
    BatchStatusOut,
    CaptionCueOut,
    CaptionsOut,
    CaptionWordOut,
    GenerateIn,
    GenerationParams,
    Id,
    JobOut,
    JobPageOut,
    JobStatusName,
)
from openspeakers.text.job import heard_as
from openspeakers.text.ssml import spoken_words

MAX_PAGE = 1_000_000
"""Pages past this are refused (a larger offset overflows the database's integers)."""
router = APIRouter(prefix="/api/tts", tags=["tts"], route_class=CheckedRoute)
JobId = Annotated[Id, Path(description="Job id (32 hex characters)")]
BatchId = Annotated[Id, Path(description="Batch id (32 hex characters)")]
CANCEL_WAIT_S = 30.0
"""How long DELETE /jobs/{id} waits for a running job to stop before answering."""


def _spec(body: GenerationParams, text: str, request: Request) -> JobSpec:
    return JobSpec(text=text, model_id=body.model_id, voice=body.voice, speed=body.speed,
                   pitch=body.pitch, format=body.format, language=body.language,
                   params=body.params, keep_alive=body.keep_alive,
                   verify=body.verify if isinstance(body.verify, bool)
                   else body.verify.model_dump(), api_key_id=key_id(request),
                   cache=body.cache, normalize=body.normalize,
                   normalize_loudness=body.normalize_loudness)


@router.post("/generate", status_code=202, summary="Submit a generation job")
async def generate(body: GenerateIn, jobs: JobsDep, request: Request,
                   response: Response) -> JobOut:
    """`X-Cache: hit` when the job was answered from the result cache (it is then complete
    already), else `miss`."""
    job = await jobs.pools.db_call(jobs.submit, _spec(body, body.text, request))
    response.headers["X-Cache"] = "hit" if served_from_cache(job) else "miss"
    return JobOut.of(job)


@router.get("/jobs", summary="List jobs, newest first")
async def list_jobs(jobs: JobsDep, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
                    status: JobStatusName | None = None, model_id: str | None = None,
                    search: Annotated[str | None, Query(max_length=200)] = None) -> JobPageOut:
    result = await jobs.pools.db_call(jobs.list, page=page, page_size=page_size, status=status,
                                      model_id=model_id, search=search)
    return JobPageOut(items=[JobOut.of(j) for j in result.items], total=result.total,
                      page=result.page, page_size=result.page_size, pages=result.pages)


@router.get("/jobs/{job_id}", summary="One job's status")
async def get_job(job_id: JobId, jobs: JobsDep,
                  wait: Annotated[float, Query(ge=0, le=60, description=(
                      "Long-poll: answer when the job has finished or after this many "
                      "seconds in all, instead of polling"))] = 0) -> JobOut:
    if not wait:
        return JobOut.of(await jobs.pools.db_call(jobs.get, job_id))
    # subscribed before reading the row, so a job that ends in between is not missed
    with jobs.events.subscribe_async(job_id) as events:
        job = await jobs.pools.db_call(jobs.get, job_id)
        if JobStatus(job.status).finished or await until_terminal(events, wait) is None:
            return JobOut.of(job)
    return JobOut.of(await jobs.pools.db_call(jobs.get, job_id))


@router.get("/jobs/{job_id}/audio", summary="The finished audio (Range requests work)",
            response_class=FileResponse)
async def job_audio(job_id: JobId, jobs: JobsDep) -> FileResponse:
    job, path = await jobs.pools.db_call(jobs.audio_file, job_id)
    return FileResponse(path, media_type=CONTENT_TYPES[job.output_format],
                        filename=f"openspeakers-{job.id}.{job.output_format}",
                        content_disposition_type="inline")


@router.get("/jobs/{job_id}/captions", summary="Word-timed captions of the finished audio",
            response_model=CaptionsOut, responses={200: {"content": {
                "text/vtt": {}, "application/x-subrip": {}}}})
async def job_captions(job_id: JobId, jobs: JobsDep, request: Request,
                       format: Annotated[Literal["srt", "vtt", "json"], Query(description=(
                           "srt, vtt, or json (every word of the text with its timing)"))] = "vtt",
                       ) -> Response:
    """The job's text, timed by faster-whisper word timestamps aligned to it (409 until the
    job is complete). The first request transcribes the audio; later ones are instant."""
    job, path = await jobs.pools.db_call(jobs.audio_file, job_id)
    heard, words, duration = await jobs.pools.slow_call(
        caption_text.job_captions, get_analysis(request), job_id=job.id,
        text=job.spoken_text or spoken_words(job.text), audio=path, fmt=job.output_format,
        audio_dir=jobs.settings.audio_output_dir,
        heard_as=heard_as(job, jobs.registry, jobs.settings))
    cues = caption_text.cues(words)
    if format == "srt":
        return PlainTextResponse(caption_text.to_srt(cues), media_type="application/x-subrip")
    if format == "vtt":
        return PlainTextResponse(caption_text.to_vtt(cues), media_type="text/vtt")
    body = CaptionsOut(job_id=job.id, duration=round(duration, 3), transcript=heard.text,
                       words=[CaptionWordOut(word=w.word, start=w.start, end=w.end,
                                             matched=w.matched) for w in words],
                       cues=[CaptionCueOut(index=c.index, start=c.start, end=c.end, text=c.text)
                             for c in cues])
    return Response(body.model_dump_json(), media_type="application/json")


@router.delete("/jobs/{job_id}", summary="Cancel a pending or running job")
async def cancel_job(job_id: JobId, jobs: JobsDep) -> JobOut:
    """A running job is answered once it has stopped (or after CANCEL_WAIT_S)."""
    with jobs.events.subscribe_async(job_id) as events:
        job = await jobs.pools.db_call(jobs.request_cancel, job_id)
        if job.status != JobStatus.running:
            return JobOut.of(job)
        await until_terminal(events, CANCEL_WAIT_S)
    return JobOut.of(await jobs.pools.db_call(jobs.get, job_id))


@router.post("/batch", status_code=202, summary="Submit one job per line (all or nothing)")
async def batch(body: BatchIn, jobs: JobsDep, request: Request) -> BatchOut:
    lines = [line.strip() for line in body.lines if line.strip()]
    limit = jobs.settings.max_batch_lines
    if not lines:
        raise InvalidRequestError("the batch has no non-empty lines")
    if len(lines) > limit:
        raise InvalidRequestError(f"the batch has {len(lines)} lines; the limit is {limit}")
    chars, most = sum(len(line) for line in lines), jobs.settings.max_batch_chars
    if chars > most:
        raise TooLargeError(f"the batch has {chars} characters; the limit is {most} "
                            "(MAX_BATCH_CHARS)")
    batch_id, created = await jobs.pools.db_call(
        jobs.submit_many, [_spec(body, line, request) for line in lines], batch=True)
    return BatchOut(batch_id=batch_id or "", job_ids=[j.id for j in created])


@router.get("/batches/{batch_id}", summary="Aggregate status of a batch")
async def batch_status(batch_id: BatchId, jobs: JobsDep) -> BatchStatusOut:
    members = await jobs.pools.db_call(jobs.batch_jobs, batch_id)
    counts = Counter(j.status for j in members)
    if counts["pending"] + counts["running"]:
        status = "running" if counts["running"] or counts["complete"] else "pending"
    elif counts["complete"] == len(members):
        status = "complete"
    elif counts["complete"]:
        status = "partial"
    else:
        status = "cancelled" if counts["cancelled"] == len(members) else "failed"
    progress = sum(1.0 if j.status != "running" and j.status != "pending" else j.progress
                   for j in members) / len(members)
    return BatchStatusOut(batch_id=batch_id, status=status, total=len(members),
                          counts=dict(counts), progress=round(progress, 4),
                          jobs=[JobOut.of(j) for j in members])


@router.get("/batches/{batch_id}/zip", summary="ZIP of the batch's finished audio, streamed",
            response_class=StreamingResponse)
async def batch_zip(batch_id: BatchId, jobs: JobsDep) -> StreamingResponse:
    members = await jobs.pools.db_call(jobs.batch_jobs, batch_id)
    files = []
    for index, job in enumerate(members, start=1):
        if job.status == "complete":
            files.append((f"{index:03d}-{job.id[:8]}.{job.output_format}", jobs.audio_path(job)))
    if not files:
        raise InvalidRequestError(f"batch '{batch_id}' has no finished audio yet")
    return StreamingResponse(zip_files(files), media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="batch-{batch_id}.zip"'})
