"""/api/system: health, GPU figures, the server's limits and defaults, disk used by audio."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter, Response
from sqlalchemy import text

from openspeakers.api.context import AppContext
from openspeakers.api.deps import ContextDep
from openspeakers.api.strict import CheckedRoute
from openspeakers.db.writes import describe
from openspeakers.gpu import gpu_stats
from openspeakers.schemas import PITCH_LIMITS, SPEED_LIMITS, GpuOut, HealthOut
from openspeakers.schemas_manage import EngineLimitsOut, LimitsOut, RangeOut, StorageOut

router = APIRouter(prefix="/api/system", tags=["system"], route_class=CheckedRoute)
public = APIRouter(prefix="/api/system", tags=["system"], route_class=CheckedRoute)
"""Open even when API keys are configured, for load balancers and monitors."""


def problems(ctx: AppContext) -> list[str]:
    """Why jobs cannot run now: the database unreachable or not writable (as the last write
    found it: while it was not, one harmless write tells whether it is again), or a queue
    group without a live worker."""
    found = []
    try:
        with ctx.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        found.append(f"database not reachable: {describe(exc)}")
    else:
        if ctx.writes.problem:
            ctx.writes.probe(ctx.engine)
        if ctx.writes.problem:
            found.append(ctx.writes.problem)
    return found + ctx.executor.problems()


def _health(ctx: AppContext) -> HealthOut:
    found = problems(ctx)
    available = sum(ctx.jobs.availability(spec).available
                    for spec in ctx.registry.models.values())
    return HealthOut(status="degraded" if found else "ok", version=version("openspeakers"),
                     database=ctx.engine.dialect.name, executor=ctx.executor.name,
                     models_available=available, problems=found)


@public.get("/health", summary="Liveness, database and executor (503 when degraded)",
            responses={503: {"model": HealthOut, "description": "Degraded: `problems` says why"}})
async def health(ctx: ContextDep, response: Response) -> HealthOut:
    out = await ctx.pools.db_call(_health, ctx)
    if out.status != "ok":
        response.status_code = 503
    return out


@router.get("/gpu", summary="Per-device GPU memory and utilisation (or why there is none)")
async def gpu(ctx: ContextDep) -> GpuOut:
    return await ctx.pools.slow_call(gpu_stats)
def _engine_limits(ctx: AppContext) -> dict[str, EngineLimitsOut]:
    out = {}
    for model_id, spec in ctx.registry.models.items():
        try:
            engine = spec.engine_class()
        except ImportError:  # an adapter whose own imports are missing: no claims about it
            continue
        native = RangeOut(min=engine.speed_range[0], max=engine.speed_range[1])
        out[model_id] = EngineLimitsOut(
            speed=RangeOut(min=SPEED_LIMITS[0], max=SPEED_LIMITS[1]),
            native_speed=native if engine.supports_speed else None,
            pitch=RangeOut(min=PITCH_LIMITS[0], max=PITCH_LIMITS[1])
            if engine.supports_pitch else None)
    return out


@router.get("/limits", summary="Limits and defaults: text lengths, batch size, speed and pitch "
                               "ranges per engine, the default model")
async def limits(ctx: ContextDep) -> LimitsOut:
    settings = ctx.settings
    engines = await ctx.pools.slow_call(_engine_limits, ctx)
    return LimitsOut(default_model=settings.default_model,
                     max_text_chars=settings.max_text_chars,
                     openai_max_input_chars=settings.openai_max_input_chars,
                     max_batch_lines=settings.max_batch_lines,
                     voice_max_upload_bytes=settings.voice_max_upload_bytes,
                     voice_min_seconds=settings.voice_min_seconds,
                     voice_max_seconds=settings.voice_max_seconds, engines=engines)


@router.get("/storage", summary="Disk used by job audio, and the retention setting")
async def storage(ctx: ContextDep) -> StorageOut:
    usage = await ctx.pools.slow_call(ctx.history.usage)
    settings = ctx.settings
    return StorageOut(audio_dir=str(settings.audio_output_dir.resolve()),
                      audio_bytes=usage.bytes, audio_files=usage.files,
                      retention_days=settings.audio_retention_days,
                      retention_delete_rows=settings.retention_delete_rows)
