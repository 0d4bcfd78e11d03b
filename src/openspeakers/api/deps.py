"""Dependencies injected into routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from openspeakers.api.context import AppContext
from openspeakers.jobs.service import JobService


def get_context(request: Request) -> AppContext:
    return request.app.state.context  # type: ignore[no-any-return]


def get_jobs(request: Request) -> JobService:
    return get_context(request).jobs


ContextDep = Annotated[AppContext, Depends(get_context)]
JobsDep = Annotated[JobService, Depends(get_jobs)]
