"""Synthesised short sentences kept in memory, for clients that say the same things often.

Assistants open most answers with the same few sentences ("Sure.", "One moment.", "Here is
what I found."). The sentence-by-sentence loop every engine without native streaming goes
through (`TTSModelBase.stream_generate`) asks this cache before generating a sentence, so a
repeated sentence costs nothing, in a stream as in a job, even when the text around it is new
(the result cache, jobs/result_cache.py, only helps when the whole request repeats).

A sentence is kept under everything that shapes its audio: the model, voice, speed, pitch,
language, instructions, seed, engine params and the sentence itself. Requests that speak with a
voice profile (a reference recording or a matched voice) are not cached, nor are sentences over
SENTENCE_CACHE_MAX_CHARS. Memory is bounded by SENTENCE_CACHE_MAX_BYTES (least recently used
sentences go first); one cache per process (`Runtime.sentence_cache`), shared by its workers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from openspeakers.engines.base import GenerateRequest, GenerateResult


@dataclass(frozen=True)
class SentenceStats:
    entries: int
    bytes: int
    hits: int
    misses: int


class SentenceCache:
    """An LRU of (samples, rate) per sentence key, bounded in bytes; safe across threads."""

    def __init__(self, max_bytes: int, max_chars: int) -> None:
        self.max_bytes = max_bytes
        self.max_chars = max_chars
        self._items: OrderedDict[str, GenerateResult] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def key(self, model_id: str, request: GenerateRequest) -> str | None:
        """The key of `request` (one sentence), or None if it is not to be cached."""
        if (self.max_bytes <= 0 or len(request.text) > self.max_chars
                or request.reference_audio is not None or request.voice_style is not None):
            return None
        identity = [model_id, request.voice, request.speed, request.pitch, request.language,
                    request.instructions, request.seed, request.params, request.text,
                    request.inline_phonemes]  # "[[...]]" is phonemes or literal text
        canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=repr)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def get(self, key: str) -> GenerateResult | None:
        with self._lock:
            result = self._items.get(key)
            if result is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return result

    def put(self, key: str, result: GenerateResult) -> None:
        audio = np.array(result.audio, dtype=np.float32, copy=True).reshape(-1)
        audio.setflags(write=False)  # shared by every later hit: nobody may change it
        if audio.nbytes > self.max_bytes:
            return
        kept = GenerateResult(audio, result.sample_rate, result.format)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.audio.nbytes
            self._items[key] = kept
            self._bytes += audio.nbytes
            while self._bytes > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= evicted.audio.nbytes

    def stats(self) -> SentenceStats:
        with self._lock:
            return SentenceStats(len(self._items), self._bytes, self.hits, self.misses)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
