"""What every value from a client must be, whatever the route: numbers finite, strings free of
NUL characters (PostgreSQL cannot store them) and of lone surrogates (not Unicode; nothing can
encode them). Checked once where bodies, query strings and form fields come in."""

from __future__ import annotations

import math
import re
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def string_problem(value: str) -> str | None:
    """Why `value` cannot be accepted, or None."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000)"
    if _LONE_SURROGATE.search(value):
        return "contains a lone UTF-16 surrogate (not valid Unicode)"
    return None


def find_problem(value: Any, where: tuple[str | int, ...] = ()) -> tuple[tuple[str | int, ...],
                                                                           str] | None:
    """The first place in a parsed JSON value that cannot be accepted, and why."""
    if isinstance(value, str):
        problem = string_problem(value)
        return (where, problem) if problem else None
    if isinstance(value, float) and not math.isfinite(value):
        return where, f"is {value}: numbers must be finite"
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_problem(key, where) if isinstance(key, str) else None
            if found:
                return where, f"has a key that {found[1]}"
            found = find_problem(item, (*where, key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = find_problem(item, (*where, index))
            if found:
                return found
    return None
