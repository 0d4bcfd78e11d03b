"""Can the database be written? Learned from real writes, retried until it can again.

Nothing probes the database on a timer: every write that fails (a full disk, a read-only
file, a lost connection) marks it unwritable with the reason, and the next write that
succeeds marks it writable. Health reports the state (503 `degraded`) and, while it is bad,
tries one harmless write itself so that it notices the recovery even when nothing else writes.
Workers retry their failed writes with backoff (`retry`) instead of dying.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger(__name__)
T = TypeVar("T")

DATABASE_ERRORS = (OperationalError, InterfaceError)
"""Errors of the database itself (disk full, read-only, connection lost): worth retrying."""


def describe(exc: BaseException) -> str:
    """The driver's message, without SQLAlchemy's statement and link."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


class WriteHealth:
    """Whether the last write to the database succeeded, and if not, why and since when."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._since: float | None = None

    @property
    def problem(self) -> str | None:
        """`database cannot be written: <reason> (for N s)`, or None when writable."""
        with self._lock:
            if self._problem is None or self._since is None:
                return None
            return (f"database cannot be written: {self._problem} "
                    f"(for {time.monotonic() - self._since:.0f} s)")

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if self._problem is None:
                self._since = time.monotonic()
            self._problem = describe(exc)

    def succeeded(self) -> None:
        with self._lock:
            if self._problem is not None:
                log.warning("the database can be written again")
            self._problem = self._since = None

    def probe(self, engine: Engine) -> None:
        """One real, harmless write, to learn whether the database can be written again.

        SQLite skips an UPDATE that changes nothing, so there the header's `user_version`
        (unused by the schema) is changed; PostgreSQL writes a new row version even for an
        unchanged row, so the migration row is rewritten as it is.
        """
        try:
            with engine.begin() as connection:
                if engine.dialect.name == "sqlite":
                    version = connection.exec_driver_sql("PRAGMA user_version").scalar() or 0
                    connection.exec_driver_sql(f"PRAGMA user_version = {(version + 1) % 1000}")
                else:
                    connection.execute(text("UPDATE alembic_version "
                                            "SET version_num = version_num"))
        except DATABASE_ERRORS as exc:
            self.failed(exc)
        else:
            self.succeeded()

    def retry(self, call: Callable[[], T], *, what: str, stop: threading.Event,
              max_delay: float) -> T | None:
        """`call()` until it does not fail with a database error, waiting 0.5 s, 1 s, 2 s ...
        (at most `max_delay`) between tries; one log line per try. None if `stop` is set
        first (the caller gives up: recovery at the next start handles the rest)."""
        delay = 0.5
        while True:
            try:
                result = call()
            except DATABASE_ERRORS as exc:
                self.failed(exc)
                log.warning("%s: the database cannot be written (%s); retrying in %.1f s",
                            what, describe(exc), delay)
            else:
                self.succeeded()
                return result
            if stop.wait(delay):
                return None
            delay = min(delay * 2, max_delay)
