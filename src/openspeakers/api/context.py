"""Everything a running server holds, created once by the app factory (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.db.writes import WriteHealth
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.local import LocalExecutor
from openspeakers.jobs.retention import History, RetentionLoop
from openspeakers.jobs.service import Executor, JobService
from openspeakers.pools import Pools
from openspeakers.runtime import Runtime


@dataclass
class AppContext:
    settings: Settings
    registry: Registry
    engine: Engine
    sessions: sessionmaker[Session]
    events: EventBus
    executor: Executor
    jobs: JobService
    history: History
    retention: RetentionLoop
    pools: Pools
    """Thread pools for the API's blocking work (database, encoding, slow calls)."""
    writes: WriteHealth
    """Whether the database could be written the last time this process tried."""

    @classmethod
    def build(cls, settings: Settings) -> AppContext:
        settings.ensure_dirs()
        url = settings.resolved_database_url
        migrate(url, settings.database_wait_timeout)
        registry = load_registry(settings.models_config, Runtime(settings))
        engine = make_engine(url, pool_size=settings.db_threads)
        pools = Pools(settings)
        writes = WriteHealth()
        sessions = make_session_factory(engine)
        events: EventBus
        executor: Executor
        if settings.celery_broker_url:
            from openspeakers.jobs.celery.executor import CeleryExecutor
            from openspeakers.jobs.redis_events import RedisEventBus

            events = RedisEventBus(settings.celery_broker_url, settings.redis_prefix)
            executor = CeleryExecutor(registry=registry, settings=settings, sessions=sessions,
                                      events=events)
        else:
            events = EventBus()
            executor = LocalExecutor(registry=registry, settings=settings, sessions=sessions,
                                     events=events, writes=writes)
        jobs = JobService(sessions=sessions, registry=registry, settings=settings,
                          executor=executor, events=events, pools=pools)
        history = History(sessions=sessions, settings=settings)
        return cls(settings, registry, engine, sessions, events, executor, jobs, history,
                   RetentionLoop(history), pools, writes)

    def start(self) -> None:
        self.executor.start()
        self.retention.start()

    def warm(self) -> None:
        """Call once the server answers: models load after readiness, not before it; so do
        the text normalisation grammars where this process runs jobs (local executor)."""
        self.executor.warm()
        if not self.settings.celery_broker_url and self.settings.text_preload_languages:
            from openspeakers.text.normalize import prepare_in_background

            prepare_in_background(self.settings.resolved_text_cache_dir,
                                  self.settings.text_preload_languages)

    def close(self) -> None:
        self.retention.stop()
        self.executor.stop()
        self.pools.close()
        self.engine.dispose()
