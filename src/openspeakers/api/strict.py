"""Inputs checked before a route sees them: JSON bodies, query strings and path parameters
must hold finite numbers and proper strings (see `openspeakers.inputs`).

Python's JSON parser accepts `NaN`, `Infinity` and `1e309` (which becomes infinity) and keeps
lone surrogates in strings; PostgreSQL refuses NUL characters. Each of these once reached the
database or an encoder and ended as a 500. Every router uses `CheckedRoute`, so each is a 422
(400 in /v1) that names the field.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from openspeakers.inputs import find_problem, string_problem
from openspeakers.jobs.service import TooLargeError


def _invalid(loc: tuple[str | int, ...], message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": message}])


class BodyTooLargeError(TooLargeError):
    pass


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused (413) from its Content-Length or as soon as it passes `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"the request body is {int(declared)} bytes; the limit is "
                                f"{limit} (MAX_BODY_BYTES)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(f"the request body is larger than the limit of {limit} "
                                    "bytes (MAX_BODY_BYTES)")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # noqa: SLF001 - what Request.body() caches; the route reads it next
    return body


async def check_request(request: Request) -> None:
    """Raise for a body over MAX_BODY_BYTES (413), or with `RequestValidationError` for the
    first bad path parameter, query value or JSON body value. Multipart bodies (voice uploads)
    are left to their own streaming reader and limit."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and (problem := string_problem(value)):
            raise _invalid(("path", name), f"Value {problem}")
    for name, value in request.query_params.multi_items():
        if problem := string_problem(name) or string_problem(value):
            raise _invalid(("query", name), f"Value {problem}")
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/"):
        return
    body = await read_limited(request, request.app.state.context.settings.max_body_bytes)
    if not body or "json" not in content_type:
        return
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return  # FastAPI answers malformed JSON itself (422 json_invalid)
    found = find_problem(parsed)
    if found:
        where, problem = found
        raise _invalid(("body", *where), f"Value {problem}")


class CheckedRoute(APIRoute):
    """An APIRoute that runs `check_request` first (every router's `route_class`)."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handle = super().get_route_handler()

        async def checked(request: Request) -> Response:
            await check_request(request)
            return await handle(request)

        return checked
