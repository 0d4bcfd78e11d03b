"""Everything a running server holds, created once by the app factory (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.config import Settings
from openspeakers.db.session import make_engine, make_session_factory, migrate
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.jobs.events import EventBus
from openspeakers.jobs.local import LocalExecutor
from openspeakers.jobs.service import Executor, JobService


@dataclass
class AppContext:
    settings: Settings
    registry: Registry
    engine: Engine
    sessions: sessionmaker[Session]
    events: EventBus
    executor: Executor
    jobs: JobService

    @classmethod
    def build(cls, settings: Settings) -> AppContext:
        settings.ensure_dirs()
        url = settings.resolved_database_url
        migrate(url)
        registry = load_registry(settings.models_config)
        engine = make_engine(url)
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
                                     events=events)
        jobs = JobService(sessions=sessions, registry=registry, settings=settings,
                          executor=executor, events=events)
        return cls(settings, registry, engine, sessions, events, executor, jobs)

    def start(self) -> None:
        self.executor.start()

    def close(self) -> None:
        self.executor.stop()
        self.engine.dispose()
