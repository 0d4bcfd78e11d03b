"""/api/voices: preset voices per model."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException

from openspeakers.api.deps import ContextDep
from openspeakers.engines.registry import UnknownModelError
from openspeakers.schemas import VoiceOut

router = APIRouter(prefix="/api/voices", tags=["voices"])


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
    voices = await asyncio.to_thread(engine.builtin_voices)
    return [VoiceOut(id=v.id, name=v.name, language=v.language, gender=v.gender) for v in voices]
