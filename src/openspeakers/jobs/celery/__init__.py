"""The Celery executor: Redis broker, PostgreSQL, one worker process per queue group."""
