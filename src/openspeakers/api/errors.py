"""Domain errors -> HTTP status codes with a message that says what was wrong.

One shape per API. `/api` answers `{"detail": message}`, and a 422 adds the fields at fault
as `errors: [{loc, msg, type}]` (`detail` is still the readable sentence). `/v1` answers
OpenAI's `{"error": {"message", "type", "param", "code"}}`, which OpenAI clients parse, and
its validation errors are 400s naming `param`, as OpenAI's are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from redis import RedisError
from starlette.exceptions import HTTPException

from openspeakers.api.limits import LimitsUnavailableError
from openspeakers.db.writes import DATABASE_ERRORS, describe
from openspeakers.engines.base import InvalidRequestError
from openspeakers.engines.registry import UnknownModelError
from openspeakers.jobs.listen import JobFailedError
from openspeakers.jobs.quota import LimitExceededError
from openspeakers.jobs.service import (
    JobNotFoundError,
    JobStateError,
    ModelUnavailableError,
    TooLargeError,
)
from openspeakers.text.lexicon import LexiconConflictError, LexiconEntryNotFoundError

STATUS_OF: dict[type[Exception], int] = {
    InvalidRequestError: 400,
    UnknownModelError: 400,
    JobNotFoundError: 404,
    JobStateError: 409,
    TooLargeError: 413,
    JobFailedError: 500,
    ModelUnavailableError: 503,
    LexiconEntryNotFoundError: 404,
    LexiconConflictError: 409,
    LimitsUnavailableError: 503,
}


def clean(text: str) -> str:
    """`text` safe to put in a JSON answer (a lone surrogate would fail to encode)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(request: Request, status: int, message: str, param: str | None = None,
                   errors: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    message = clean(message)
    if request.url.path.startswith("/v1"):
        kind = {401: "authentication_error", 429: "rate_limit_error"}.get(
            status, "invalid_request_error" if status < 500 else "server_error")
        return JSONResponse({"error": {"message": message, "type": kind, "param": param,
                                       "code": None}}, status_code=status, headers=headers)
    body: dict[str, Any] = {"detail": message}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


def field_errors(raw: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors reduced to what a client needs: where, what, which kind. The input is
    left out: it may be huge, non-finite or not encodable, and the client sent it anyway."""
    out = []
    for error in raw:
        message = str(error.get("msg", "invalid value"))
        reason = (error.get("ctx") or {}).get("error")
        if error.get("type") == "json_invalid" and reason:
            message = f"{message}: {reason}"
        out.append({"loc": [clean(str(p)) if isinstance(p, str) else p
                            for p in error.get("loc", ())],
                    "msg": clean(message), "type": str(error.get("type", "value_error"))})
    return out


def _where(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts)


def summary(errors: list[dict[str, Any]]) -> str:
    """One sentence naming every field at fault."""
    return "; ".join(f"{_where(e['loc'])}: {e['msg']}" if _where(e["loc"]) else e["msg"]
                     for e in errors) or "invalid request"


def allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI schema documents at this path (Starlette names only those of
    the first route that matched, so Allow disagreed with the schema). Where a literal path
    and a template both match (`/history/delete` and `/history/{job_id}`), the template with
    the fewest parameters wins, as it does in routing."""
    table: list[tuple[re.Pattern[str], int, list[str]]] | None = getattr(
        request.app.state, "allow_table", None)
    if table is None:
        table = []
        for template, operations in request.app.openapi().get("paths", {}).items():
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
            table.append((re.compile(f"^{pattern}$"), template.count("{"),
                          sorted(m.upper() for m in operations if m != "parameters")))
        request.app.state.allow_table = table
    path = request.url.path
    matches = [(params, methods) for pattern, params, methods in table if pattern.match(path)]
    fewest = min((params for params, _ in matches), default=0)
    return sorted({m for params, methods in matches if params == fewest for m in methods})


def install(app: FastAPI) -> None:
    for error_type, status in STATUS_OF.items():
        app.add_exception_handler(error_type, _handler(status))

    @app.exception_handler(LimitExceededError)
    async def limited(request: Request, exc: LimitExceededError) -> JSONResponse:
        return error_response(request, 429, str(exc),
                              headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(request, exc.status_code, str(exc.detail), headers=headers)

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        """The database refused (full disk, read-only, unreachable): 503 with the reason,
        and health learns of it."""
        context = getattr(request.app.state, "context", None)
        if context is not None:
            context.writes.failed(exc)
        return error_response(request, 503, f"the database is not available: {describe(exc)}; "
                                            "try again later")

    for error_type in DATABASE_ERRORS:
        app.add_exception_handler(error_type, database_error)

    @app.exception_handler(RedisError)
    async def redis_error(request: Request, exc: RedisError) -> JSONResponse:
        """With Celery, Redis (broker, events, limits) unreachable: 503 naming it, not a 500."""
        return error_response(request, 503, f"Redis is not reachable ({exc}); try again later")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_errors(exc.errors())
        if not request.url.path.startswith("/v1"):
            return error_response(request, 422, summary(errors), errors=errors)
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        param = ".".join(str(p) for p in first["loc"][1:]) or None
        return error_response(request, 400, f"{param}: {first['msg']}" if param
                              else first["msg"], param)


_OPENAI_PARAM = {"text": "input", "model_id": "model", "format": "response_format"}
"""Our field names -> the /v1 request's, for OpenAI's `param`."""


def _param(exc: Exception) -> str | None:
    if isinstance(exc, UnknownModelError | ModelUnavailableError):
        return "model_id"
    return getattr(exc, "param", None)


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        param = _param(exc)
        if param and request.url.path.startswith("/v1"):
            param = _OPENAI_PARAM.get(param, param)
        return error_response(request, status, str(exc), param)

    return handle


# The bodies above, as the OpenAPI schema documents them -------------------------------------
class ErrorOut(BaseModel):
    detail: str = Field(description="What was wrong, in a sentence")


class FieldErrorOut(BaseModel):
    loc: list[str | int] = Field(description='Where: ["body", "speed"], ["query", "page"]')
    msg: str
    type: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = Field(description="Every field at fault")


class OpenAIErrorBody(BaseModel):
    message: str
    type: str = Field(description="invalid_request_error, authentication_error, "
                                  "rate_limit_error or server_error")
    param: str | None = Field(description="The request field at fault, when there is one")
    code: str | None


class OpenAIErrorOut(BaseModel):
    error: OpenAIErrorBody


_WHEN = {400: "The request cannot be served (unknown model or voice, bad parameter, SSML "
              "that is not valid, with its line and column, ...)",
         401: "Missing or invalid API key (only when keys are configured)",
         404: "No such job, batch, voice, model or lexicon entry",
         409: "The job is not in a state that allows this (audio of an unfinished job, ...), "
              "or the word already has a lexicon entry",
         413: "The request body is larger than the limit",
         422: "A field is missing, of the wrong type or out of range",
         429: "A limit was reached; Retry-After says when to try again",
         503: "The model cannot run here (the message says why)"}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                                "schema": {"type": "integer"}}}


def documented_errors(openai: bool = False) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a router: every error status its routes can answer, with its body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status, when in _WHEN.items():
        if openai and status == 422:
            continue  # /v1 answers validation errors with 400, as OpenAI does
        model = OpenAIErrorOut if openai else (ValidationErrorOut if status == 422
                                               else ErrorOut)
        out[status] = {"model": model, "description": when}
        if status == 429:
            out[status]["headers"] = _RETRY_AFTER
    return out
