"""Request and response bodies of the REST API (apart from the ORM models on purpose)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from openspeakers.db.models import TTSJob

AudioFormatName = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
JobStatusName = Literal["pending", "running", "complete", "failed", "cancelled"]
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
"""Job and batch ids are 32 lowercase hex characters; anything else is refused (422)."""


class GenerationParams(BaseModel):
    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    model_id: str | None = Field(None, description="Registry id; default: DEFAULT_MODEL")
    voice: str | None = Field(None, description="Voice id; default: the model's first voice")
    speed: float = Field(1.0, ge=0.25, le=4.0)
    pitch: float = Field(1.0, ge=0.5, le=2.0)
    format: AudioFormatName = "wav"
    language: str | None = None
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="Engine-specific parameters (see /api/models)")
    keep_alive: float | None = Field(None, ge=0, le=86_400,
                                     description="Seconds to keep the model loaded after use")


class GenerateIn(GenerationParams):
    text: str = Field(..., description="Text to speak")


class BatchIn(GenerationParams):
    lines: list[str] = Field(..., min_length=1, description="One job per non-empty line")


class JobOut(BaseModel):
    id: str
    model_id: str
    voice: str | None
    text: str
    parameters: dict[str, Any]
    format: str
    status: JobStatusName
    error: str | None
    progress: float
    attempts: int
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    sample_rate: int | None
    batch_id: str | None
    audio_url: str | None

    @classmethod
    def of(cls, job: TTSJob) -> JobOut:
        return cls(id=job.id, model_id=job.model_id, voice=job.voice, text=job.text,
                   parameters=job.parameters or {}, format=job.output_format,
                   status=job.status,  # type: ignore[arg-type]
                   error=job.error, progress=job.progress, attempts=job.attempts,
                   queued_at=job.queued_at, started_at=job.started_at,
                   finished_at=job.finished_at, duration_seconds=job.duration_seconds,
                   sample_rate=job.sample_rate, batch_id=job.batch_id,
                   audio_url=f"/api/tts/jobs/{job.id}/audio" if job.status == "complete"
                   else None)


class JobPageOut(BaseModel):
    items: list[JobOut]
    total: int
    page: int
    page_size: int
    pages: int


class BatchOut(BaseModel):
    batch_id: str
    job_ids: list[str]


class BatchStatusOut(BaseModel):
    batch_id: str
    status: Literal["pending", "running", "complete", "partial", "failed", "cancelled"]
    total: int
    counts: dict[str, int]
    progress: float
    jobs: list[JobOut]


class VoiceOut(BaseModel):
    id: str
    name: str
    language: str | None = None
    gender: str | None = None


class ModelStateOut(BaseModel):
    loaded: bool
    device: str | None = None
    memory_bytes: int | None = None
    workers_loaded: int = 0


class ModelOut(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    id: str
    name: str
    description: str
    group: str
    device: str
    standby: bool
    enabled: bool
    languages: list[str]
    license: str
    extra: str | None
    hf_repo: str | None
    vram_gb: float
    capabilities: list[str]
    default_params: dict[str, Any]
    available: bool
    unavailable_reason: str | None
    state: ModelStateOut
    queue_depth: int


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
    executor: str
    models_available: int


class GpuDeviceOut(BaseModel):
    index: int
    name: str
    memory_used_mb: float
    memory_total_mb: float
    utilization_percent: float | None


class GpuOut(BaseModel):
    available: bool
    message: str
    devices: list[GpuDeviceOut]
