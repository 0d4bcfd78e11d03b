"""/api/voices: voice profiles (safe uploads, transcripts, engine voices) and preset voices."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from fastapi.responses import FileResponse

from openspeakers.analysis.service import Analysis
from openspeakers.api.deps import ContextDep
from openspeakers.api.limits import holding, limits_of
from openspeakers.api.strict import CheckedRoute
from openspeakers.engines.registry import UnknownModelError
from openspeakers.pools import Pools
from openspeakers.schemas import (
    Id,
    JobOut,
    MatchIn,
    VoiceOut,
    VoicePatchIn,
    VoiceProfileOut,
)
from openspeakers.voices.multipart import read_form
from openspeakers.voices.service import NewVoice, VoiceNotFoundError, VoiceService
from openspeakers.voices.upload import UploadTooLarge

router = APIRouter(prefix="/api/voices", tags=["voices"], route_class=CheckedRoute)
VoiceId = Annotated[Id, Path(description="Voice profile id (32 hex characters)")]


def get_analysis(request: Request) -> Analysis:
    """The app's Analysis (transcripts, similarity), made on first use; its models load
    lazily, in the threads that use them."""
    state = request.app.state
    analysis: Analysis | None = getattr(state, "analysis", None)
    if analysis is None:
        analysis = state.analysis = Analysis(request.app.state.context.settings)
    return analysis


def get_voices(request: Request) -> VoiceService:
    """The app's VoiceService, made on first use."""
    state = request.app.state
    service: VoiceService | None = getattr(state, "voice_service", None)
    if service is None:
        ctx = request.app.state.context
        service = VoiceService(sessions=ctx.sessions, settings=ctx.settings, jobs=ctx.jobs,
                               analysis=get_analysis(request))
        state.voice_service = service
    return service


VoicesDep = Annotated[VoiceService, Depends(get_voices)]

_UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "file"],
    "properties": {
        "name": {"type": "string", "maxLength": 128},
        "file": {"type": "string", "format": "binary",
                 "description": "The reference recording: wav, mp3, ogg/opus, flac, m4a, webm "
                                "(3-60 s of speech, at most VOICE_MAX_UPLOAD_BYTES)"},
        "transcript": {"type": "string", "description": "What the recording says; "
                                                        "transcribed with Whisper if left out"},
        "description": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"},
                 "description": "Repeated fields, or one comma-separated field"},
        "model_id": {"type": "string", "description": "The engine the voice is meant for "
                                                      "(informative)"},
    },
}


async def _found(pools: Pools, call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await pools.db_call(call, *args, **kwargs)
    except VoiceNotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


@router.get("", summary="Voice profiles, newest first")
async def list_voices(voices: VoicesDep) -> list[VoiceProfileOut]:
    return [VoiceProfileOut.of(p) for p in await voices.jobs.pools.db_call(voices.list)]


@router.post("", status_code=201, summary="Create a voice profile from a reference recording",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": _UPLOAD_SCHEMA}}}})
async def create_voice(request: Request, voices: VoicesDep) -> VoiceProfileOut:
    # 429 past MAX_CONCURRENT_UPLOADS (across API processes with Celery: api/limits.py)
    async with holding(limits_of(request.app.state).uploads, voices.jobs.pools):
        try:
            form = await read_form(request.stream(), request.headers.get("content-type"),
                                   request.headers.get("content-length"),
                                   max_file_bytes=voices.settings.voice_max_upload_bytes)
        except UploadTooLarge as exc:
            raise HTTPException(413, str(exc)) from None
        if form.file_field is None:
            raise HTTPException(400, "the form has no audio file (field 'file')")
        new = NewVoice(name=form.get("name") or "", audio=bytes(form.file),
                       transcript=form.get("transcript") or form.get("reference_text"),
                       description=form.get("description"), tags=form.get_all("tags"),
                       model_id=form.get("model_id"))
        form.file.clear()
        return VoiceProfileOut.of(await voices.jobs.pools.slow_call(voices.create, new))


@router.get("/builtin/{model_id}", summary="The preset voices of a model")
async def builtin_voices(model_id: str, ctx: ContextDep) -> list[VoiceOut]:
    try:
        spec = ctx.registry.get(model_id)
    except UnknownModelError as exc:
        raise HTTPException(404, str(exc)) from None
    try:
        engine = spec.engine_class()
    except ImportError as exc:
        raise HTTPException(503, f"model '{model_id}' is not installed here: {exc}") from None
    voices = await ctx.pools.slow_call(engine.builtin_voices)
    return [VoiceOut(id=v.id, name=v.name, language=v.language, gender=v.gender) for v in voices]


@router.get("/{voice_id}", summary="One voice profile")
async def get_voice(voice_id: VoiceId, voices: VoicesDep) -> VoiceProfileOut:
    return VoiceProfileOut.of(await _found(voices.jobs.pools, voices.get, voice_id))


@router.patch("/{voice_id}", summary="Edit name, description, tags or transcript")
async def update_voice(voice_id: VoiceId, body: VoicePatchIn,
                       voices: VoicesDep) -> VoiceProfileOut:
    changes = body.model_dump(exclude_unset=True)
    return VoiceProfileOut.of(await _found(voices.jobs.pools, voices.update, voice_id, changes))


@router.get("/{voice_id}/audio", summary="The normalised reference (WAV)",
            response_class=FileResponse)
async def voice_audio(voice_id: VoiceId, voices: VoicesDep) -> FileResponse:
    path = await _found(voices.jobs.pools, voices.audio_path, voice_id)
    return FileResponse(path, media_type="audio/wav", filename=f"voice-{voice_id}.wav",
                        content_disposition_type="inline")


@router.delete("/{voice_id}", status_code=204, summary="Delete a profile and its files")
async def delete_voice(voice_id: VoiceId, voices: VoicesDep) -> Response:
    await _found(voices.jobs.pools, voices.delete, voice_id)
    return Response(status_code=204)


@router.post("/{voice_id}/match", status_code=202, summary=(
    "Make an engine voice from the profile (Kokoro: a style-vector search); returns the job"))
async def match_voice(voice_id: VoiceId, voices: VoicesDep,
                      body: MatchIn | None = None) -> JobOut:
    body = body or MatchIn()
    job = await _found(voices.jobs.pools, voices.start_match, voice_id, model_id=body.model_id,
                       budget_s=body.budget_s, max_evals=body.max_evals, seed=body.seed)
    return JobOut.of(job)
