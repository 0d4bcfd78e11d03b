"""`Analysis`: what a process uses to listen to audio, built from its settings.

The API (reference transcripts, captions) and every worker (similarity, listening checks,
voice matching) hold one; the models behind it load on first use, once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from openspeakers.analysis.asr import Transcriber, Transcript
from openspeakers.analysis.similarity import SpeakerEncoder
from openspeakers.analysis.wer import word_error_rate
from openspeakers.config import Settings


@dataclass(frozen=True)
class Listening:
    """What was heard in a clip, against what it should have said."""

    wer: float
    transcript: Transcript


class Analysis:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def transcriber(self) -> Transcriber:
        return Transcriber(self.settings.whisper_model, self.settings.model_cache_dir)

    @cached_property
    def speakers(self) -> SpeakerEncoder:
        return SpeakerEncoder()

    @property
    def voices_dir(self) -> Path:
        return self.settings.voices_dir

    def transcribe(self, samples: np.ndarray, sample_rate: int, *,
                   word_timestamps: bool = False) -> Transcript:
        return self.transcriber.transcribe(samples, sample_rate, word_timestamps=word_timestamps)

    def listen(self, text: str, samples: np.ndarray, sample_rate: int, *,
               heard_as: Callable[[Transcript], Transcript] | None = None) -> Listening:
        """What `samples` say against `text`; `heard_as` puts the transcript in the text's
        form first (a normalised job's spoken form: text/heard.py)."""
        heard = self.transcribe(samples, sample_rate, word_timestamps=True)
        if heard_as is not None:
            heard = heard_as(heard)
        return Listening(round(word_error_rate(text, heard.text), 4), heard)

    def similarity(self, a: np.ndarray, rate_a: int, b: np.ndarray, rate_b: int) -> float:
        return round(self.speakers.compare(a, rate_a, b, rate_b), 4)
