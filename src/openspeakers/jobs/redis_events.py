"""Job events over Redis pub/sub, for the Celery executor.

Workers publish to `<prefix>events:<job_id>`; every API process runs one relay thread that
receives all job channels and fans them out to its local listeners (WebSockets, streams), so
any API process can serve any job. The last state event of a job is also kept in a key, for
subscribers that arrive late or in another process.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from typing import Any

import numpy as np
import redis

from openspeakers.jobs.events import Event, EventBus

log = logging.getLogger(__name__)
_LAST_TTL_S = 24 * 3600


def encode_event(event: Event) -> str:
    if "audio" in event:
        event = {**event, "audio": base64.b64encode(
            np.asarray(event["audio"], np.float32).tobytes()).decode()}
    return json.dumps(event)


def decode_event(data: str | bytes) -> Event:
    event: dict[str, Any] = json.loads(data)
    if "audio" in event:
        event["audio"] = np.frombuffer(base64.b64decode(event["audio"]), np.float32)
    return event


class RedisEventBus(EventBus):
    def __init__(self, url: str, prefix: str) -> None:
        super().__init__()
        self.redis = redis.Redis.from_url(url)
        self.prefix = prefix
        self._relay: threading.Thread | None = None
        self._pubsub: Any = None

    def _channel(self, job_id: str) -> str:
        return f"{self.prefix}events:{job_id}"

    def publish(self, job_id: str, event: Event) -> None:
        data = encode_event(event)
        if event.get("type") != "audio_chunk":
            self.redis.set(f"{self.prefix}last:{job_id}", data, ex=_LAST_TTL_S)
        self.redis.publish(self._channel(job_id), data)

    def last(self, job_id: str) -> Event | None:
        """What the relay has brought to this process, else Redis (blocks: not on a loop)."""
        seen = self.last_seen(job_id)
        if seen is not None:
            return seen
        data = self.redis.get(f"{self.prefix}last:{job_id}")
        return decode_event(data) if data else None  # type: ignore[arg-type]

    # the relay (API processes) -----------------------------------------------------------------
    def start_relay(self) -> None:
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.psubscribe(self._channel("*"))
        self._relay = threading.Thread(target=self._run_relay, name="redis-events", daemon=True)
        self._relay.start()

    def _run_relay(self) -> None:
        start = len(self._channel(""))
        while self._pubsub is not None:
            try:
                message = self._pubsub.get_message(timeout=1.0)
            except (redis.ConnectionError, ValueError):
                if self._pubsub is None:
                    return
                log.exception("lost the Redis event relay; reconnecting")
                continue
            if message and message["type"] == "pmessage":
                job_id = message["channel"].decode()[start:]
                self.deliver(job_id, decode_event(message["data"]))

    def stop_relay(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if self._relay is not None:
            self._relay.join(5)
        if pubsub is not None:
            pubsub.close()
