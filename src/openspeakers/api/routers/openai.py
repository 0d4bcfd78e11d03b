"""/v1: the OpenAI speech API, so the `openai` SDK, Open WebUI and friends work unchanged.

Every request is a job like any other: validated, committed, enqueued, and streamed back from
the job's events while it is generated.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from openspeakers.api.audio_stream import encoded_audio, file_bytes, sse_events
from openspeakers.api.context import AppContext
from openspeakers.api.deps import ContextDep, key_id
from openspeakers.api.strict import CheckedRoute
from openspeakers.audio.encoding import CONTENT_TYPES
from openspeakers.engines.registry import OPENAI_VOICES, UnknownModelError
from openspeakers.jobs.listen import JobFailedError, submit
from openspeakers.jobs.service import JobSpec, ModelUnavailableError
from openspeakers.schemas import SPEED_LIMITS, SpokenText

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["openai"], route_class=CheckedRoute)
_CREATED = int(time.time())


class VoiceRef(BaseModel):
    id: str


class SpeechIn(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    model: str = Field(..., min_length=1,
                       description="tts-1, tts-1-hd, gpt-4o-mini-tts or any registry id")
    input: SpokenText = Field(..., description="Text to speak (at most OPENAI_MAX_INPUT_CHARS)")
    voice: str | VoiceRef | None = Field(None, description="OpenAI voice name or engine voice id")
    response_format: Literal["mp3", "opus", "aac", "flac", "wav", "pcm"] = "mp3"
    speed: float = Field(1.0, ge=SPEED_LIMITS[0], le=SPEED_LIMITS[1])
    instructions: str | None = Field(None, description="Used by engines that take instructions"
                                     " (supports_instructions); ignored by the others")
    stream_format: Literal["audio", "sse"] = "audio"
    cache: bool = Field(True, description="Extra field: false bypasses the result cache")
    normalize: bool = Field(True, description=(
        "Not in OpenAI's API: false speaks the input as written (no text normalisation)"))
    normalize_loudness: bool = Field(True, description=(
        "Not OpenAI's: false keeps the engine's own level instead of LOUDNESS_TARGET_LUFS"))


def resolve_model(ctx: AppContext, name: str) -> str:
    """An OpenAI model name -> the first available engine of its list; registry ids as is."""
    if name in ctx.registry.openai_models:
        for model_id in ctx.registry.openai_models[name]:
            if ctx.jobs.availability(ctx.registry.models[model_id]).available:
                return model_id
        raise ModelUnavailableError(f"no engine for '{name}' can run here")
    if name not in ctx.registry.models:
        valid = [*ctx.registry.openai_models, *ctx.registry.models]
        raise UnknownModelError(f"unknown model '{name}'; valid models: {', '.join(valid)}")
    return name


@router.post("/audio/speech", summary="Generate speech (OpenAI-compatible), streamed",
             response_class=StreamingResponse)
async def speech(body: SpeechIn, ctx: ContextDep, request: Request) -> StreamingResponse:
    voice = body.voice.id if isinstance(body.voice, VoiceRef) else body.voice
    model_id = await ctx.pools.db_call(resolve_model, ctx, body.model)
    spec = JobSpec(text=body.input, model_id=model_id, voice=voice,
                   speed=body.speed, format=body.response_format,
                   instructions=body.instructions, api_key_id=key_id(request),
                   cache=body.cache, normalize=body.normalize,
                   normalize_loudness=body.normalize_loudness)
    listened = await submit(ctx.jobs, spec, max_chars=ctx.settings.openai_max_input_chars)
    media = "text/event-stream" if body.stream_format == "sse" else CONTENT_TYPES[
        body.response_format]
    if listened.cached is not None:  # the stored bytes, with no worker and no encoder
        listened.release_now()  # nothing more to hear: the job is complete
        stored = file_bytes(listened.cached, ctx.pools.blocking)
        return StreamingResponse(
            sse_events(stored, len(body.input)) if body.stream_format == "sse" else stored,
            media_type=media, headers={"X-Job-Id": listened.id, "X-Cache": "hit"})
    chunks = listened.audio()
    try:
        first = await anext(chunks)  # a job that fails before any audio gets an error status
    except BaseException:
        listened.release_now()
        raise

    async def body_bytes() -> AsyncIterator[bytes]:
        try:
            audio = encoded_audio(first, chunks, body.response_format, ctx.pools.encode)
            stream = sse_events(audio, len(body.input)) if body.stream_format == "sse" else audio
            async for data in stream:
                yield data
        except JobFailedError as exc:
            log.warning("job %s ended mid-stream: %s", listened.id, exc)
        finally:
            listened.release_now()  # cancels the job if the client went away

    return StreamingResponse(body_bytes(), media_type=media,
                             headers={"X-Job-Id": listened.id, "X-Cache": "miss"})


@router.get("/models", summary="Models in OpenAI's list shape")
async def models(ctx: ContextDep) -> dict[str, object]:
    ids = [*ctx.registry.openai_models, *ctx.registry.models]
    return {"object": "list", "data": [{"id": model_id, "object": "model", "created": _CREATED,
                                        "owned_by": "openspeakers"} for model_id in ids]}


@router.get("/audio/models", summary="Speech models, as Open WebUI reads them")
async def audio_models(ctx: ContextDep) -> dict[str, list[dict[str, str]]]:
    def runnable() -> list[str]:
        return [m for m, spec in ctx.registry.models.items()
                if ctx.jobs.availability(spec).available]

    available = await ctx.pools.db_call(runnable)
    return {"models": [{"id": m} for m in [*ctx.registry.openai_models, *available]]}


@router.get("/audio/voices", summary="Voices: OpenAI names, then the engine's own")
async def audio_voices(ctx: ContextDep, model: Annotated[str | None, Query()] = None
                       ) -> dict[str, list[dict[str, str]]]:
    model_id = await ctx.pools.db_call(resolve_model, ctx, model or "tts-1")
    engine = ctx.registry.models[model_id].engine_class()
    builtin = await ctx.pools.slow_call(engine.builtin_voices)
    voices = [{"id": name, "name": name.capitalize()} for name in OPENAI_VOICES]
    voices += [{"id": v.id, "name": v.name} for v in builtin]
    return {"voices": voices}
