"""The images' HEALTHCHECK: `healthcheck.py api` or `healthcheck.py worker [GROUP]`
(GROUP defaults to OPENSPEAKERS_GROUP, which the worker image sets).

api: GET /api/system/health on BACKEND_PORT answers 200 (database reachable, executor up).
worker: the worker's heartbeat key is in Redis, i.e. its pool child runs and beats (the key
expires HEARTBEAT_TIMEOUT after the last beat). Exit 0 when healthy, 1 with a reason otherwise.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def api() -> str | None:
    from openspeakers.config import get_settings

    url = f"http://127.0.0.1:{get_settings().backend_port}/api/system/health"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - fixed http URL
            return None if response.status == 200 else f"{url}: HTTP {response.status}"
    except OSError as exc:
        return f"{url}: {exc}"


def worker(group: str) -> str | None:
    import redis

    from openspeakers.config import get_settings
    from openspeakers.jobs.celery.worker import worker_name

    settings = get_settings()
    name = worker_name(settings, group.split(","))
    key = f"{settings.redis_prefix}worker:{name}"
    try:
        client = redis.Redis.from_url(settings.celery_broker_url or "", socket_timeout=5)
        return None if client.exists(key) else f"no heartbeat at {key}"
    except (redis.RedisError, ValueError) as exc:
        return f"redis: {exc}"


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else "api"
    group = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("OPENSPEAKERS_GROUP", "")
    problem = api() if kind == "api" else worker(group)
    if problem:
        print(problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
