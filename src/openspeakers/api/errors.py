"""Domain errors -> HTTP status codes with a message that says what was wrong.

`/api` answers `{"detail": message}` (FastAPI's shape); `/v1` answers OpenAI's error shape
`{"error": {"message", "type", "param", "code"}}`, which OpenAI clients parse.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from openspeakers.engines.base import InvalidRequestError
from openspeakers.engines.registry import UnknownModelError
from openspeakers.jobs.listen import JobFailedError
from openspeakers.jobs.service import JobNotFoundError, JobStateError, ModelUnavailableError

STATUS_OF: dict[type[Exception], int] = {
    InvalidRequestError: 400,
    UnknownModelError: 400,
    JobNotFoundError: 404,
    JobStateError: 409,
    JobFailedError: 500,
    ModelUnavailableError: 503,
}


def error_response(request: Request, status: int, message: str,
                   param: str | None = None) -> JSONResponse:
    if request.url.path.startswith("/v1"):
        kind = {401: "authentication_error"}.get(
            status, "invalid_request_error" if status < 500 else "server_error")
        return JSONResponse({"error": {"message": message, "type": kind, "param": param,
                                       "code": None}}, status_code=status)
    return JSONResponse({"detail": message}, status_code=status)


def install(app: FastAPI) -> None:
    for error_type, status in STATUS_OF.items():
        app.add_exception_handler(error_type, _handler(status))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        response = error_response(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if not request.url.path.startswith("/v1"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        first = exc.errors()[0] if exc.errors() else {}
        param = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return error_response(request, 400, f"{param}: {first.get('msg', 'invalid request')}",
                              param)


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        return error_response(request, status, str(exc))

    return handle
