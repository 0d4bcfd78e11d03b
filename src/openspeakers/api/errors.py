"""Domain errors -> HTTP status codes with a message that says what was wrong."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from openspeakers.engines.base import InvalidRequestError
from openspeakers.engines.registry import UnknownModelError
from openspeakers.jobs.service import JobNotFoundError, JobStateError, ModelUnavailableError

STATUS_OF: dict[type[Exception], int] = {
    InvalidRequestError: 400,
    UnknownModelError: 400,
    JobNotFoundError: 404,
    JobStateError: 409,
    ModelUnavailableError: 503,
}


def install(app: FastAPI) -> None:
    for error_type, status in STATUS_OF.items():
        app.add_exception_handler(error_type, _handler(status))


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status)

    return handle
