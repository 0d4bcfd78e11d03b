"""ORM models. Request/response schemas live apart, in `openspeakers.schemas`."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class JobStatus(enum.StrEnum):
    pending = "pending"
    running = "running"
    complete = "complete"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.complete, JobStatus.failed, JobStatus.cancelled)


class TTSJob(Base):
    __tablename__ = "tts_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    model_id: Mapped[str] = mapped_column(String(64), index=True)
    voice: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    output_format: Mapped[str] = mapped_column(String(8), default="wav")
    status: Mapped[str] = mapped_column(String(16), index=True, default=JobStatus.pending)
    error: Mapped[str | None] = mapped_column(Text)
    queue: Mapped[str] = mapped_column(String(64), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audio_path: Mapped[str | None] = mapped_column(String(512))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    celery_task_id: Mapped[str | None] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    voice_profile_id: Mapped[str | None] = mapped_column(String(32), index=True)
    """The voice profile the job speaks with (cloned, or a matched engine voice)."""
    similarity: Mapped[float | None] = mapped_column(Float)
    """Speaker similarity of the output to the profile's reference (Resemblyzer cosine)."""
    wer: Mapped[float | None] = mapped_column(Float)
    """Listening check: word error rate of the kept audio against the text."""
    verify_tries: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """Listening check: one entry per generation (try, seed, wer, transcript)."""
    api_key_id: Mapped[str | None] = mapped_column(String(32), index=True)
    """The API key that submitted the job (per-key limits count by it); None when keys are off."""
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Claim order: 0 interactive (single jobs, /v1, Wyoming) before 1 (batch lines)."""
    batch_index: Mapped[int | None] = mapped_column(Integer)
    """A batch line's position; lines of different batches interleave by it."""
    warnings: Mapped[list[str] | None] = mapped_column(JSON)
    """What the engine could not honour (SSML tags, lexicon phonemes), said in sentences."""
    spoken_text: Mapped[str | None] = mapped_column(Text)
    """What was said: the text after normalisation ("$5" -> "five dollars"), set when the
    job completes; captions and the listening check compare against it."""


class VoiceProfile(Base):
    __tablename__ = "voice_profiles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    model_id: Mapped[str | None] = mapped_column(String(64))
    reference_audio_path: Mapped[str | None] = mapped_column(String(512))
    reference_text: Mapped[str | None] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    transcript_source: Mapped[str | None] = mapped_column(String(64))
    """"user", or the Whisper model that wrote the transcript ("whisper:tiny.en")."""
    engine_voices: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    """Engine voices made from this profile, by model id (kokoro: a matched style vector)."""


class ApiKey(Base):
    """An API key; only its SHA-256 is stored, the key itself is shown once when created."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(128))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rpm: Mapped[int | None] = mapped_column(Integer)
    """Most requests per minute (None: no limit)."""
    max_jobs: Mapped[int | None] = mapped_column(Integer)
    """Most jobs pending or running at once (None: no limit)."""
    chars_per_day: Mapped[int | None] = mapped_column(Integer)
    """Most characters of text submitted in 24 hours (None: no limit)."""


class LexiconEntry(Base):
    """A pronunciation: a word or phrase said as `replacement`, or as `phonemes` by engines that
    take phonemes in `alphabet`; for every model (`model_id` None) or one."""

    __tablename__ = "lexicon_entries"
    __table_args__ = (UniqueConstraint("scope", "word_key", name="uq_lexicon_scope_word"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    word: Mapped[str] = mapped_column(String(100))
    word_key: Mapped[str] = mapped_column(String(100))
    """`word` lower-cased with single spaces: what matching and uniqueness go by."""
    model_id: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(64), default="")
    """`model_id`, or "" for a global entry (NULLs would not collide in the unique key)."""
    replacement: Mapped[str | None] = mapped_column(String(500))
    phonemes: Mapped[str | None] = mapped_column(String(500))
    alphabet: Mapped[str] = mapped_column(String(16), default="ipa")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
