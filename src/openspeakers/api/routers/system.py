"""/api/system: health and GPU figures."""

from __future__ import annotations

import asyncio
from importlib.metadata import version

from fastapi import APIRouter
from sqlalchemy import text

from openspeakers.api.deps import ContextDep
from openspeakers.gpu import gpu_stats
from openspeakers.schemas import GpuOut, HealthOut

router = APIRouter(prefix="/api/system", tags=["system"])
public = APIRouter(prefix="/api/system", tags=["system"])
"""Open even when API keys are configured, for load balancers and monitors."""


@public.get("/health", summary="Liveness, database and executor")
async def health(ctx: ContextDep) -> HealthOut:
    def ping() -> None:
        with ctx.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    await asyncio.to_thread(ping)
    available = sum(ctx.jobs.availability(spec).available
                    for spec in ctx.registry.models.values())
    return HealthOut(status="ok", version=version("openspeakers"),
                     database=ctx.engine.dialect.name, executor=ctx.executor.name,
                     models_available=available)


@router.get("/gpu", summary="Per-device GPU memory and utilisation (or why there is none)")
async def gpu() -> GpuOut:
    return await asyncio.to_thread(gpu_stats)
