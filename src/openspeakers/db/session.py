"""Engine and session factory, and migrations applied at start-up.

Every process (API, each worker, `openspeakers migrate`) may start at the same moment against
a database that is still starting or empty: `migrate` first waits for the database to answer,
then upgrades under a PostgreSQL advisory lock, so exactly one process creates the schema and
the others find it at head.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)
Row = TypeVar("Row")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# pg_advisory_lock key for migrations: any constant the application uses for nothing else.
MIGRATION_LOCK_KEY = 0x0_5EA7_0001
DATABASE_WAIT_TIMEOUT = 120.0


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """`pool_size`: connections kept open; as many as threads that query at once (the API's
    DB_THREADS), plus overflow for workers and background threads."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=pool_size, max_overflow=10)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # WAL lets the API read while a worker thread writes; with WAL, synchronous=NORMAL
            # is safe against a crashed process (only a power cut can lose the last commits).
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=10)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class DatabaseUnavailable(RuntimeError):
    """The database did not answer within the wait timeout."""


def get_or_raise(sessions: sessionmaker[Session], model: type[Row], key: str,
                 missing: Callable[[], Exception]) -> Row:
    """The row of `model` with primary key `key` (detached), or `missing()` raised."""
    with sessions() as session:
        row = session.get(model, key)
    if row is None:
        raise missing()
    return row


def _where(url: str) -> str:
    """host:port/database, without the credentials."""
    return url.split("@")[-1]


def wait_for_database(url: str, timeout: float = DATABASE_WAIT_TIMEOUT) -> None:
    """Return once the database at `url` accepts a connection; retry with backoff (0.5 s,
    doubling, at most 5 s) and log one line per failed try; raise `DatabaseUnavailable` after
    `timeout` seconds. SQLite files need no wait."""
    if url.startswith("sqlite"):
        return
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    deadline = time.monotonic() + timeout
    delay = 0.5
    try:
        for attempt in range(1, 1_000_000):
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except OperationalError as exc:
                reason = str(exc.orig or exc).strip().splitlines()[0]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DatabaseUnavailable(
                        f"database at {_where(url)} not reachable after {attempt} tries in "
                        f"{timeout:.0f} s: {reason}") from exc
                pause = min(delay, left)
                logger.warning("database at %s not reachable (try %d: %s); retrying in %.1f s",
                               _where(url), attempt, reason, pause)
                time.sleep(pause)
                delay = min(delay * 2, 5.0)
                continue
            if attempt > 1:
                logger.info("database at %s is reachable (try %d)", _where(url), attempt)
            return
    finally:
        engine.dispose()


def migrate(url: str, wait_timeout: float = DATABASE_WAIT_TIMEOUT) -> None:
    """Bring the database at `url` to the newest schema (idempotent), waiting up to
    `wait_timeout` seconds for it to be reachable. On PostgreSQL the upgrade runs under an
    advisory lock: concurrent callers wait for the first, then find the schema at head."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if not url.startswith("postgresql"):
        command.upgrade(config, "head")
        return
    wait_for_database(url, wait_timeout)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as lock:
            locked = lock.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                  {"k": MIGRATION_LOCK_KEY}).scalar()
            if not locked:
                logger.info("another process is migrating %s; waiting for it", _where(url))
                lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            lock.commit()  # the lock is the session's; no transaction stays open beside it
            try:
                command.upgrade(config, "head")
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                lock.commit()
    finally:
        engine.dispose()
