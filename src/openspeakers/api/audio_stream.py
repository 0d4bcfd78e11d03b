"""Encode a job's audio chunks into a response format as they arrive (and OpenAI's SSE)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import numpy as np

from openspeakers.audio.encoding import AudioEncoder, AudioFormat
from openspeakers.jobs.listen import JobFailedError

Chunks = AsyncIterator[tuple[np.ndarray, int]]


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


SLICE_SECONDS = 0.25
"""Chunks are encoded in slices this long, so the first bytes leave after the first slice is
encoded rather than after a whole sentence (mp3/aac/opus encoding is not free)."""


async def encoded_audio(first: tuple[np.ndarray, int], rest: Chunks,
                        fmt: AudioFormat) -> AsyncIterator[bytes]:
    """Yield `fmt` bytes for each chunk (`first`, then `rest`) until the job completes."""
    sink = _Chunks()
    samples, rate = first
    step = int(SLICE_SECONDS * rate)
    with AudioEncoder(sink, fmt, rate) as encoder:
        while True:
            for start in range(0, len(samples), step):
                encoder.write(samples[start:start + step])
                if data := sink.drain():
                    yield data
            try:
                samples, _ = await anext(rest)
            except StopAsyncIteration:
                break
    if data := sink.drain():
        yield data


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
