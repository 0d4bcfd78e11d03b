"""Engine parameters, declared: each engine names the `params` it reads, with type and range,
and a request's `params` are checked against them before its job is written (a wrong name,
type or value is a 400 naming it, not a failure inside the worker)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openspeakers.engines.base import InvalidRequestError

Kind = Literal["float", "int", "bool", "str", "list"]


@dataclass(frozen=True)
class Param:
    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""
    max_length: int = 500
    """Longest string, or most list items (each a string of at most 64 characters)."""

    def check(self, name: str, value: Any) -> Any:
        """`value` as the engine reads it, or `InvalidRequestError` saying what is wrong."""
        wrong = InvalidRequestError(f"parameter '{name}' must be {self._wanted()}, "
                                    f"not {_show(value)}")
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise wrong
            return value
        if self.kind == "str":
            if not isinstance(value, str) or len(value) > self.max_length:
                raise wrong
            return value
        if self.kind == "list":
            items = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
            if (not isinstance(items, list) or len(items) > self.max_length
                    or not all(isinstance(v, str) and len(v) <= 64 for v in items)):
                raise wrong
            return items
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong
        if not math.isfinite(value):
            raise wrong
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise wrong
            value = int(value)
        if ((self.minimum is not None and value < self.minimum)
                or (self.maximum is not None and value > self.maximum)):
            raise wrong
        return value

    def _wanted(self) -> str:
        if self.kind in ("bool", "str"):
            return {"bool": "true or false",
                    "str": f"a string of at most {self.max_length} characters"}[self.kind]
        if self.kind == "list":
            return f"a list of at most {self.max_length} voice ids"
        kind = "an integer" if self.kind == "int" else "a number"
        return f"{kind} from {self.minimum:g} to {self.maximum:g}" if (
            self.minimum is not None and self.maximum is not None) else kind

    def json_schema(self) -> dict[str, Any]:
        """How /api/models describes the parameter."""
        schema: dict[str, Any] = {"type": {"float": "number", "int": "integer",
                                           "bool": "boolean", "str": "string",
                                           "list": "array"}[self.kind]}
        if self.kind == "str":
            schema["maxLength"] = self.max_length
        if self.kind == "list":  # a comma-separated string is read as the same list
            schema.update(items={"type": "string", "maxLength": 64}, maxItems=self.max_length)
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.description:
            schema["description"] = self.description
        return schema


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_params(model_id: str, declared: Mapping[str, Param],
                 params: Mapping[str, Any]) -> dict[str, Any]:
    """`params` checked against `declared`: unknown names, wrong types and values out of
    range are refused with a message naming the parameter."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        spec = declared.get(name)
        if spec is None:
            known = ", ".join(sorted(declared)) or "none"
            raise InvalidRequestError(f"model '{model_id}' has no parameter '{name}'; "
                                      f"its parameters: {known}")
        out[name] = spec.check(name, value)
    return out


# Sampling parameters several engines share, with the ranges that make sense for them.
TEMPERATURE = Param("float", 0.01, 5.0, "Sampling temperature")
TOP_P = Param("float", 0.01, 1.0, "Nucleus sampling: keep this share of probability mass")
TOP_K = Param("int", 1, 1000, "Sample among this many likeliest tokens")
REPETITION_PENALTY = Param("float", 0.5, 5.0, "Penalty on repeated tokens")
DO_SAMPLE = Param("bool", description="Sample instead of decoding greedily")
CFG = Param("float", 0.0, 20.0, "Classifier-free guidance scale")


def max_new_tokens(limit: int) -> Param:
    return Param("int", 1, limit, "Most tokens generated")
