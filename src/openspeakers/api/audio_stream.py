"""Turn a job's event queue into encoded audio bytes as they are generated.

Used by every streaming response; audio never comes from polling the database.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator

from openspeakers.audio.encoding import AudioEncoder, AudioFormat
from openspeakers.jobs.events import Event


class JobFailedError(RuntimeError):
    """The job failed or was cancelled before (or while) its audio streamed."""


class _Chunks:
    """A write-only sink whose bytes are taken out after each encoder write."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


async def first_audio(events: asyncio.Queue[Event]) -> Event:
    """Wait for the first audio chunk (or completion); raise if the job fails first.

    Lets an endpoint answer with a real error status when a job fails before any audio exists,
    and start its 200 response only once there is something to send.
    """
    while True:
        event = await events.get()
        if event["type"] in ("audio_chunk", "complete"):
            return event
        if event["type"] in ("failed", "cancelled"):
            raise JobFailedError(event.get("error") or f"job {event['type']}")


async def encoded_audio(events: asyncio.Queue[Event], fmt: AudioFormat,
                        first: Event) -> AsyncIterator[bytes]:
    """Yield `fmt` bytes for each audio chunk until the job completes."""
    sink = _Chunks()
    encoder: AudioEncoder | None = None
    event = first
    while True:
        if event["type"] == "audio_chunk":
            if encoder is None:
                encoder = AudioEncoder(sink, fmt, event["sample_rate"])  # type: ignore[arg-type]
            encoder.write(event["audio"])
        elif event["type"] == "complete":
            if encoder is not None:
                encoder.close()
            if data := sink.drain():
                yield data
            return
        elif event["type"] in ("failed", "cancelled"):
            raise JobFailedError(event.get("error") or f"job {event['type']}")
        if data := sink.drain():
            yield data
        event = await events.get()


def sse(payload: dict[str, object]) -> bytes:
    return f"data: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


async def sse_events(audio: AsyncIterator[bytes], input_chars: int) -> AsyncIterator[bytes]:
    """OpenAI's speech SSE: `speech.audio.delta` events with base64 audio, then `done`."""
    sent = 0
    try:
        async for data in audio:
            sent += len(data)
            yield sse({"type": "speech.audio.delta", "audio": base64.b64encode(data).decode()})
    except JobFailedError as exc:
        yield sse({"type": "error", "error": {"message": str(exc), "type": "server_error"}})
        return
    yield sse({"type": "speech.audio.done", "usage": {
        "input_tokens": input_chars, "output_tokens": sent, "total_tokens": input_chars + sent}})
