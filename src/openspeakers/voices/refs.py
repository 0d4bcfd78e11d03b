"""Naming voice profiles: ids are ids, and their files lie under DATA_DIR/voices only."""

from __future__ import annotations

import re
from pathlib import Path

from openspeakers.engines.base import InvalidRequestError

PROFILE_PREFIX = "profile:"
_ID = re.compile(r"[0-9a-f]{32}")
_MODEL = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")


def is_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


def profile_ref(voice: str | None) -> str | None:
    """The profile id a job's `voice` names (`profile:<id>`, or a bare profile id), else None."""
    if not voice:
        return None
    if voice.startswith(PROFILE_PREFIX):
        profile_id = voice.removeprefix(PROFILE_PREFIX)
        if not is_id(profile_id):
            raise InvalidRequestError(f"'{voice[:80]}' is not a voice profile: write "
                                      "profile:<id> with the profile's 32-hex-character id")
        return profile_id
    return voice if is_id(voice) else None


def profile_voice(profile_id: str) -> str:
    return f"{PROFILE_PREFIX}{profile_id}"


def reference_path(voices_dir: Path, profile_id: str) -> Path:
    """Where a profile's normalised reference lives (`<id>.wav`)."""
    if not is_id(profile_id):
        raise ValueError(f"not a voice profile id: {profile_id!r}")
    return voices_dir / f"{profile_id}.wav"


def engine_voice_path(voices_dir: Path, profile_id: str, model_id: str) -> Path:
    """Where an engine voice made from a profile lives (`<id>.<model>.npy`)."""
    if not is_id(profile_id) or not _MODEL.fullmatch(model_id):
        raise ValueError(f"not a voice profile id / model id: {profile_id!r} {model_id!r}")
    return voices_dir / f"{profile_id}.{model_id}.npy"
