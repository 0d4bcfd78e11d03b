"""Secrets never reach a log line. Browsers authenticate WebSockets with `?api_key=osk-...`
(they cannot set headers there), and uvicorn's access log prints whole request lines, so every
handler the server logs through gets `RedactSecrets`."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_SECRET = re.compile(r"((?:api_key|access_token|hf_token)=)[^&\s\"']+", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_OSK = re.compile(r"osk-[A-Za-z0-9_-]{6,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    text = _SECRET.sub(rf"\1{REDACTED}", text)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    return _OSK.sub(f"osk-{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """A handler filter: the record's message with query-string keys, bearer tokens and
    `osk-` keys replaced. The arguments are redacted one by one, since formatters such as
    uvicorn's access formatter read them; if a secret survives that, the message is flattened.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if redact(message) == message:
            return True
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        if redact(record.getMessage()) != record.getMessage():
            record.msg, record.args = redact(message), ()
        return True


def install_on(*loggers: logging.Logger) -> None:
    """Add the filter to every handler of `loggers` (and of the root logger)."""
    for logger in (*loggers, logging.getLogger()):
        for handler in logger.handlers:
            if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                handler.addFilter(RedactSecrets())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with the filter on each of its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": RedactSecrets}
    for handler in config.get("handlers", {}).values():
        handler.setdefault("filters", []).append("redact_secrets")
    return config
