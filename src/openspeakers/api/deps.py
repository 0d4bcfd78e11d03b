"""Dependencies injected into routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from openspeakers.api.context import AppContext
from openspeakers.jobs.service import JobService


async def get_context(request: Request) -> AppContext:
    """(async: FastAPI runs plain functions in a thread pool, which a burst would fill)"""
    return request.app.state.context  # type: ignore[no-any-return]


async def get_jobs(request: Request) -> JobService:
    return request.app.state.context.jobs  # type: ignore[no-any-return]


def key_id(request: Request) -> str | None:
    """The id of the API key that authenticated the request (None when keys are off)."""
    info = getattr(request.state, "api_key", None)
    return getattr(info, "id", None)


ContextDep = Annotated[AppContext, Depends(get_context)]
JobsDep = Annotated[JobService, Depends(get_jobs)]
