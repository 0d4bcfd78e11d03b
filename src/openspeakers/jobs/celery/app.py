"""The Celery application: configuration and queues derived from the registry."""

from __future__ import annotations

from celery import Celery
from kombu import Exchange, Queue

from openspeakers.config import Settings
from openspeakers.engines.registry import Registry

RUN_JOB = "openspeakers.run_job"
CONTROL = "openspeakers.control"


def make_celery(settings: Settings, registry: Registry) -> Celery:
    app = Celery("openspeakers", broker=settings.celery_broker_url)
    queues = sorted(set(registry.queue_map.values()))
    app.conf.update(
        # one direct exchange per queue, bound by its own name: a job goes to its group only
        task_queues=[Queue(name, Exchange(name, type="direct"), routing_key=name)
                     for name in queues],
        task_default_queue=queues[0],
        task_acks_late=True,  # a job's message is removed only after the job is done...
        task_reject_on_worker_lost=True,  # ...and goes back to the queue if its process dies
        worker_prefetch_multiplier=1,  # never hold a second job while one runs
        worker_concurrency=1,
        worker_pool="prefork",  # a child process per worker: revoke(terminate=True) works
        task_ignore_result=True,  # results live in the jobs table, not in Celery
        broker_transport_options={"global_keyprefix": settings.redis_prefix,
                                  "visibility_timeout": 3600},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    app.openspeakers_settings = settings  # type: ignore[attr-defined]
    app.openspeakers_registry = registry  # type: ignore[attr-defined]
    return app
