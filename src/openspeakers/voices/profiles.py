"""A job's voice profile, as the worker uses it: the request it speaks with, and similarity."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.analysis.service import Analysis
from openspeakers.audio.encoding import decode
from openspeakers.db.models import VoiceProfile
from openspeakers.engines.base import EngineError, GenerateRequest
from openspeakers.voices.refs import engine_voice_path, reference_path

log = logging.getLogger(__name__)


@dataclass
class ProfileVoice:
    profile_id: str
    reference: Path
    transcript: str | None
    style: Any = None
    """The engine voice made from the profile for this job's model (Kokoro style), if any."""

    def apply(self, request: GenerateRequest) -> GenerateRequest:
        """The request with the profile's reference, transcript and engine voice in it."""
        return replace(request, voice=None, reference_audio=self.reference,
                       reference_text=self.transcript, voice_style=self.style)

    @cached_property
    def audio(self) -> tuple[np.ndarray, int]:
        return decode(self.reference)

    def similarity(self, analysis: Analysis, audio: np.ndarray, rate: int) -> float | None:
        """Speaker similarity of `audio` to the reference; None (logged) if it cannot be had."""
        try:
            reference, reference_rate = self.audio
            return analysis.similarity(reference, reference_rate, audio, rate)
        except Exception:
            log.exception("speaker similarity for profile %s failed", self.profile_id)
            return None


def load_profile(sessions: sessionmaker[Session], voices_dir: Path, profile_id: str,
                 model_id: str) -> ProfileVoice:
    """The profile's files for a job on `model_id`, or `EngineError` saying what is missing."""
    with sessions() as session:
        profile = session.get(VoiceProfile, profile_id)
    if profile is None:
        raise EngineError(f"voice profile '{profile_id}' was deleted")
    root = voices_dir.resolve()
    reference = reference_path(root, profile_id)
    if not reference.is_file():
        raise EngineError(f"the reference audio of voice profile '{profile_id}' is missing")
    style = None
    if model_id in (profile.engine_voices or {}):
        path = engine_voice_path(root, profile_id, model_id)
        if not path.is_file():
            raise EngineError(f"the {model_id} voice of profile '{profile_id}' is missing")
        style = np.load(path, allow_pickle=False)
    return ProfileVoice(profile_id, reference, profile.reference_text, style)
