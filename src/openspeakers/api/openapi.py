"""The OpenAPI schema, made to say what the server enforces.

FastAPI writes it from the routes; here it is finished with what only the running
configuration knows (text and batch limits from the settings) and freed of what is not true
(`/v1` never answers 422: its validation errors are OpenAI-style 400s)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from openspeakers.config import Settings


def _set(schema: dict[str, Any], component: str, field: str, **constraints: Any) -> None:
    properties = schema.get("components", {}).get("schemas", {}).get(component, {}).get(
        "properties", {})
    if field in properties:
        properties[field].update(constraints)


def install(app: FastAPI, settings: Settings) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/v1"):
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
        _set(schema, "GenerateIn", "text", maxLength=settings.max_text_chars)
        _set(schema, "BatchIn", "lines", maxItems=settings.max_batch_lines)
        lines = schema.get("components", {}).get("schemas", {}).get("BatchIn", {}).get(
            "properties", {}).get("lines", {})
        if isinstance(lines.get("items"), dict):
            lines["items"]["maxLength"] = settings.max_text_chars
        _set(schema, "SpeechIn", "input", maxLength=settings.openai_max_input_chars)
        components = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" not in json.dumps(schema.get("paths")):
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
