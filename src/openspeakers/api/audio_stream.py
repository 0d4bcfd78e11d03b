"""Encode a job's audio chunks into a response format as they arrive (and OpenAI's SSE)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from pathlib import Path

import numpy as np

from openspeakers.audio.encoding import AudioEncoder, AudioFormat
from openspeakers.jobs.listen import JobFailedError
from openspeakers.pools import run_in

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


def _write(encoder: AudioEncoder, sink: _Chunks, samples: np.ndarray) -> bytes:
    encoder.write(samples)
    return sink.drain()


def _close(encoder: AudioEncoder, sink: _Chunks) -> bytes:
    encoder.close()
    return sink.drain()


async def encoded_audio(first: tuple[np.ndarray, int], rest: Chunks, fmt: AudioFormat,
                        pool: Executor) -> AsyncIterator[bytes]:
    """Yield `fmt` bytes for each chunk (`first`, then `rest`) until the job completes.

    The encoder runs in `pool` (ENCODE_THREADS), one slice at a time, never on the loop.
    """
    sink = _Chunks()
    samples, rate = first
    step = int(SLICE_SECONDS * rate)
    encoder = await run_in(pool, AudioEncoder, sink, fmt, rate)
    try:
        while True:
            for start in range(0, len(samples), step):
                if data := await run_in(pool, _write, encoder, sink,
                                        samples[start:start + step]):
                    yield data
            try:
                samples, _ = await anext(rest)
            except StopAsyncIteration:
                break
        if data := await run_in(pool, _close, encoder, sink):
            yield data
    finally:  # a client that went away: free the codec (close is idempotent), without a wait
        pool.submit(encoder.close)


FILE_SLICE_BYTES = 64 * 1024


async def file_bytes(path: Path, pool: Executor) -> AsyncIterator[bytes]:
    """A finished file's bytes, as stored (a result cache hit is sent byte for byte), read in
    `pool` a slice at a time."""
    source = await run_in(pool, path.open, "rb")
    try:
        while data := await run_in(pool, source.read, FILE_SLICE_BYTES):
            yield data
    finally:
        source.close()


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
