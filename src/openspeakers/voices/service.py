"""Voice profiles: create from a safe upload, read, edit, delete, and start voice matching.

Creating checks everything before writing anything: the fields, then the audio (decoded with
a cap, trimmed, normalised), then the transcript (Whisper when none is given). The reference
is written under a temporary name, renamed, and only then is the row committed; if the commit
fails the file is removed, so a rejected upload leaves neither a row nor a file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from openspeakers.analysis.service import Analysis
from openspeakers.audio.encoding import encode
from openspeakers.config import Settings
from openspeakers.db.models import VoiceProfile, new_id
from openspeakers.db.session import get_or_raise
from openspeakers.engines.base import InvalidRequestError
from openspeakers.jobs.service import JobService, JobSpec
from openspeakers.voices.refs import engine_voice_path, profile_voice, reference_path
from openspeakers.voices.upload import VoiceLimits, process_reference

log = logging.getLogger(__name__)

MAX_NAME = 128
MAX_DESCRIPTION = 2000
MAX_TRANSCRIPT = 5000
MAX_TAGS = 20
MAX_TAG = 48
MATCH_TEXT = ("The old lighthouse keeper walked along the shore, listening to the waves and "
              "the wind.")
"""What a matched voice says in the preview audio of its matching job."""


class VoiceNotFoundError(LookupError):
    pass


@dataclass
class NewVoice:
    name: str
    audio: bytes
    transcript: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    model_id: str | None = None


class VoiceService:
    def __init__(self, *, sessions: sessionmaker[Session], settings: Settings, jobs: JobService,
                 analysis: Analysis) -> None:
        self.sessions = sessions
        self.settings = settings
        self.jobs = jobs
        self.analysis = analysis

    @property
    def voices_dir(self) -> Path:
        return self.settings.voices_dir

    @property
    def limits(self) -> VoiceLimits:
        s = self.settings
        return VoiceLimits(min_seconds=s.voice_min_seconds, max_seconds=s.voice_max_seconds,
                           sample_rate=s.voice_sample_rate, loudness_lufs=s.voice_loudness_lufs)

    # reading ---------------------------------------------------------------------------------
    def list(self) -> list[VoiceProfile]:
        with self.sessions() as session:
            return list(session.scalars(select(VoiceProfile).order_by(
                VoiceProfile.created_at.desc(), VoiceProfile.id)))

    def get(self, profile_id: str) -> VoiceProfile:
        return get_or_raise(self.sessions, VoiceProfile, profile_id, lambda: VoiceNotFoundError(
            f"no voice profile with id '{profile_id}'"))

    def audio_path(self, profile_id: str) -> Path:
        self.get(profile_id)
        root = self.voices_dir.resolve()
        path = reference_path(root, profile_id).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise VoiceNotFoundError(f"the reference audio of voice '{profile_id}' is missing")
        return path

    # writing ---------------------------------------------------------------------------------
    def create(self, new: NewVoice) -> VoiceProfile:
        name = _name(new.name)
        description = _text("description", new.description, MAX_DESCRIPTION)
        transcript = _text("transcript", new.transcript, MAX_TRANSCRIPT)
        tags = _tags(new.tags)
        if new.model_id:
            self.jobs.registry.get(new.model_id)  # unknown -> 400 naming the valid ones
        voice = process_reference(new.audio, self.limits)
        source = "user"
        if not transcript:
            transcript, source = self._transcribe(voice.samples, voice.sample_rate)
        profile = VoiceProfile(
            id=new_id(), name=name, description=description, tags=tags,
            model_id=new.model_id or None, reference_text=transcript,
            transcript_source=source if transcript else None,
            duration_seconds=round(voice.duration, 3), sample_rate=voice.sample_rate,
            engine_voices={})
        self.voices_dir.mkdir(parents=True, exist_ok=True)
        final = reference_path(self.voices_dir, profile.id)
        tmp = self.voices_dir / f".{profile.id}.partial"
        try:
            tmp.write_bytes(encode(voice.samples, voice.sample_rate, "wav"))
            tmp.replace(final)
            profile.reference_audio_path = final.name
            with self.sessions.begin() as session:
                session.add(profile)
        except BaseException:
            tmp.unlink(missing_ok=True)
            final.unlink(missing_ok=True)
            raise
        log.info("voice profile %s created: %.1f s (%s, %.1f s uploaded), transcript from %s",
                 profile.id, voice.duration, voice.source_format, voice.source_seconds, source)
        return profile

    def _transcribe(self, samples: Any, rate: int) -> tuple[str | None, str]:
        try:
            heard = self.analysis.transcribe(samples, rate)
        except Exception:
            log.exception("transcribing a voice reference failed; stored without transcript")
            return None, "none"
        return (heard.text or None), f"whisper:{self.analysis.transcriber.label}"

    def update(self, profile_id: str, changes: dict[str, Any]) -> VoiceProfile:
        with self.sessions.begin() as session:
            profile = session.get(VoiceProfile, profile_id)
            if profile is None:
                raise VoiceNotFoundError(f"no voice profile with id '{profile_id}'")
            if "name" in changes:
                profile.name = _name(changes["name"])
            if "description" in changes:
                profile.description = _text("description", changes["description"],
                                            MAX_DESCRIPTION)
            if "tags" in changes:
                profile.tags = _tags(changes["tags"] or [])
            if "transcript" in changes:
                profile.reference_text = _text("transcript", changes["transcript"],
                                               MAX_TRANSCRIPT)
                profile.transcript_source = "user" if profile.reference_text else None
        return profile

    def delete(self, profile_id: str) -> None:
        with self.sessions.begin() as session:
            profile = session.get(VoiceProfile, profile_id)
            if profile is None:
                raise VoiceNotFoundError(f"no voice profile with id '{profile_id}'")
            engines = list((profile.engine_voices or {}).keys())
            session.delete(profile)
        reference_path(self.voices_dir, profile_id).unlink(missing_ok=True)
        for model_id in engines:
            engine_voice_path(self.voices_dir, profile_id, model_id).unlink(missing_ok=True)

    # matching --------------------------------------------------------------------------------
    def start_match(self, profile_id: str, *, model_id: str = "kokoro",
                    budget_s: float | None = None, max_evals: int | None = None,
                    seed: int = 0, text: str | None = None) -> Any:
        """Queue a voice-matching job for `model_id` (a TTSJob on the model's queue)."""
        from openspeakers.voices.matching import MATCH_TASK, matchable

        profile = self.get(profile_id)
        spec = self.jobs.registry.get(model_id)
        if not matchable(spec):
            able = [m.id for m in self.jobs.registry.models.values() if matchable(m)]
            raise InvalidRequestError(f"model '{model_id}' has no voice matching; models "
                                      f"that have it: {', '.join(able)}")
        job = self.jobs.validate(JobSpec(text=text or MATCH_TEXT, model_id=model_id,
                                         format="wav"))
        job.voice = profile_voice(profile.id)
        job.voice_profile_id = profile.id
        job.parameters = {**job.parameters, "task": MATCH_TASK, "match": {
            "budget_s": min(budget_s or self.settings.voice_match_budget_s,
                            self.settings.voice_match_budget_s),
            "max_evals": min(max_evals or self.settings.voice_match_max_evals,
                             self.settings.voice_match_max_evals),
            "seed": seed}}
        self.jobs.enqueue([job])
        return job


def _name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise InvalidRequestError("name is empty")
    if len(name) > MAX_NAME:
        raise InvalidRequestError(f"name is {len(name)} characters; the limit is {MAX_NAME}")
    return name


def _text(what: str, value: Any, limit: int) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > limit:
        raise InvalidRequestError(f"{what} is {len(text)} characters; the limit is {limit}")
    return text or None


def _tags(values: list[Any]) -> list[str]:
    tags: list[str] = []
    for value in values:
        for tag in str(value).split(","):
            tag = tag.strip()
            if tag and tag not in tags:
                if len(tag) > MAX_TAG:
                    raise InvalidRequestError(f"tag '{tag[:20]}...' is longer than {MAX_TAG}")
                tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidRequestError(f"{len(tags)} tags; the limit is {MAX_TAGS}")
    return tags
