"""/api/models: every registry engine, whether it can run here, its state; load and unload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from openspeakers.api.context import AppContext
from openspeakers.api.deps import ContextDep
from openspeakers.api.strict import CheckedRoute
from openspeakers.engines.registry import ModelSpec, UnknownModelError
from openspeakers.jobs.service import ModelUnavailableError
from openspeakers.schemas import ModelOut, ModelStateOut

router = APIRouter(prefix="/api/models", tags=["models"], route_class=CheckedRoute)


def _describe(ctx: AppContext, model_id: str, depths: dict[str, int]) -> ModelOut:
    spec = ctx.registry.models[model_id]
    availability = ctx.jobs.availability(spec)
    states = ctx.executor.model_states().get(model_id, [])
    state = ModelStateOut(loaded=bool(states), workers_loaded=len(states),
                          device=states[0].device if states else None,
                          memory_bytes=states[0].memory_bytes if states else None)
    return ModelOut(id=spec.id, name=spec.name, description=spec.description, group=spec.group,
                    device=spec.device, standby=spec.standby, enabled=spec.enabled,
                    languages=list(spec.languages), license=spec.license, extra=spec.extra,
                    hf_repo=spec.hf_repo, vram_gb=spec.vram_gb,
                    capabilities=list(spec.capabilities), default_params=spec.params,
                    parameters=_parameters(spec),
                    available=availability.available, unavailable_reason=availability.reason,
                    state=state, queue_depth=depths.get(spec.group, 0))


def _parameters(spec: ModelSpec) -> dict[str, dict[str, Any]]:
    try:
        engine = spec.engine_class()
    except ImportError:
        return {}
    return {name: param.json_schema() for name, param in engine.parameters.items()}


def _known(ctx: AppContext, model_id: str) -> None:
    try:
        ctx.registry.get(model_id)
    except UnknownModelError as exc:
        raise HTTPException(404, str(exc)) from None


def _describe_all(ctx: AppContext, model_ids: list[str]) -> list[ModelOut]:
    """(in the DB pool: queue depths, and with Celery the workers' state, are queries)"""
    depths = ctx.executor.queue_depths()
    return [_describe(ctx, model_id, depths) for model_id in model_ids]


@router.get("", summary="Every engine: capabilities, availability and state")
async def list_models(ctx: ContextDep) -> list[ModelOut]:
    return await ctx.pools.db_call(_describe_all, ctx, list(ctx.registry.models))


@router.get("/{model_id}", summary="One engine")
async def get_model(model_id: str, ctx: ContextDep) -> ModelOut:
    _known(ctx, model_id)
    return (await ctx.pools.db_call(_describe_all, ctx, [model_id]))[0]


@router.post("/{model_id}/load", summary="Load the engine in its group's first worker")
async def load_model(model_id: str, ctx: ContextDep) -> ModelOut:
    _known(ctx, model_id)
    availability = await ctx.pools.db_call(ctx.jobs.availability, ctx.registry.models[model_id])
    if not availability.available:
        raise ModelUnavailableError(f"model '{model_id}' cannot run here: {availability.reason}")
    await ctx.pools.slow_call(ctx.executor.load_model, model_id)
    return await get_model(model_id, ctx)


@router.post("/{model_id}/unload", summary="Unload the engine from every worker")
async def unload_model(model_id: str, ctx: ContextDep) -> ModelOut:
    _known(ctx, model_id)
    await ctx.pools.slow_call(ctx.executor.unload_model, model_id)
    return await get_model(model_id, ctx)
