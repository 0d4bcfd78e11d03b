"""/api/tts/history: remove finished jobs and their audio, one by one, in bulk, or by age.

`DELETE /api/tts/jobs/{id}` cancels a job; removing it from the history is done here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from openspeakers.api.deps import ContextDep
from openspeakers.api.strict import CheckedRoute
from openspeakers.api.url_ids import register_job_id_convertor
from openspeakers.schemas import Id
from openspeakers.schemas_manage import DeleteJobsIn, PruneIn, RemovalOut

register_job_id_convertor()
router = APIRouter(prefix="/api/tts/history", tags=["tts"], route_class=CheckedRoute)
JobId = Annotated[Id, Path(description="Job id (32 hex characters)")]


@router.delete("/{job_id:job_id}",
               summary="Delete a finished job and its audio (409 while it runs)")
async def delete_job(job_id: JobId, ctx: ContextDep) -> RemovalOut:
    return RemovalOut.of(await ctx.pools.db_call(ctx.history.delete, job_id))


@router.post("/delete", summary="Delete finished jobs and their audio; others are skipped")
async def delete_jobs(body: DeleteJobsIn, ctx: ContextDep) -> RemovalOut:
    return RemovalOut.of(await ctx.pools.db_call(ctx.history.delete_many, body.job_ids))


@router.post("/prune", summary="Delete audio (and optionally jobs) finished before N days ago")
async def prune(body: PruneIn, ctx: ContextDep) -> RemovalOut:
    removal = await ctx.pools.db_call(ctx.history.prune, older_than_days=body.older_than_days,
                                      delete_rows=body.delete_rows)
    return RemovalOut.of(removal)
