"""Request and response bodies of the REST API (apart from the ORM models on purpose)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from openspeakers.db.models import TTSJob, VoiceProfile

AudioFormatName = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
JobStatusName = Literal["pending", "running", "complete", "failed", "cancelled"]
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
"""Job and batch ids are 32 lowercase hex characters; anything else is refused (422)."""
NON_BLANK = r"[^\s\x1c-\x1f]"
"""Somewhere a character that is not white space (what `str.strip` would leave)."""


def _spoken(text: str) -> str:
    if not text.strip():
        raise ValueError("text is empty (only white space)")
    return text


SpokenText = Annotated[str, StringConstraints(min_length=1), AfterValidator(_spoken),
                       Field(json_schema_extra={"pattern": NON_BLANK})]
"""Text to speak: not empty, not only white space (the schema says so with `pattern`)."""


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
"""A moment in UTC, always written with its offset (`...Z`), whatever the database gave."""
STRICT = ConfigDict(extra="forbid", allow_inf_nan=False, protected_namespaces=())
"""Request bodies: unknown fields and non-finite numbers are refused."""


SPEED_LIMITS = (0.25, 4.0)
"""Speeds every engine accepts: natively where it can, else by a pitch-preserving tempo change."""
PITCH_LIMITS = (0.5, 2.0)
"""Pitch factors accepted by engines with pitch control (supports_pitch)."""


class VerifyIn(BaseModel):
    model_config = STRICT

    max_wer: float | None = Field(None, ge=0, le=1, description="default VERIFY_MAX_WER")
    max_tries: int | None = Field(None, ge=1, le=10, description="default VERIFY_MAX_TRIES")


class GenerationParams(BaseModel):
    model_config = STRICT

    model_id: str | None = Field(None, description="Registry id; default: DEFAULT_MODEL")
    voice: str | None = Field(None, description="Voice id; default: the model's first voice")
    speed: float = Field(1.0, ge=SPEED_LIMITS[0], le=SPEED_LIMITS[1])
    pitch: float = Field(1.0, ge=PITCH_LIMITS[0], le=PITCH_LIMITS[1])
    format: AudioFormatName = "wav"
    language: str | None = None
    params: dict[str, Any] = Field(default_factory=dict,
                                   description="Engine-specific parameters (see /api/models)")
    keep_alive: float | None = Field(None, ge=0, le=86_400,
                                     description="Seconds to keep the model loaded after use")
    verify: bool | VerifyIn = Field(False, description=(
        "Listening check: transcribe the output and store its word error rate; above "
        "VERIFY_MAX_WER regenerate with another seed, up to VERIFY_MAX_TRIES (an object "
        "overrides both for this job)"))
    cache: bool = Field(True, description=(
        "Answer from the result cache when an identical request has finished before, and "
        "keep this output there (false: always generate, keep nothing)"))
    normalize: bool = Field(True, description=(
        "Text normalisation: numbers, dates, money, abbreviations... read as words, Markdown "
        "and emoji removed (false: the text is spoken as written; docs/TEXT.md)"))
    normalize_loudness: bool = Field(True, description=(
        "Level the output to LOUDNESS_TARGET_LUFS with true peaks at most "
        "LOUDNESS_TRUE_PEAK_DB (when LOUDNESS_NORMALIZE is on); false: the engine's own level"))


class GenerateIn(GenerationParams):
    text: SpokenText = Field(..., description="Text to speak (at most MAX_TEXT_CHARS)")


class BatchIn(GenerationParams):
    lines: list[str] = Field(..., min_length=1, description=(
        "One job per non-empty line (at most MAX_BATCH_LINES, each at most MAX_TEXT_CHARS)"),
        json_schema_extra={"contains": {"type": "string", "pattern": NON_BLANK}})


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
    queued_at: UtcDatetime
    started_at: UtcDatetime | None
    finished_at: UtcDatetime | None
    duration_seconds: float | None
    sample_rate: int | None
    batch_id: str | None
    audio_url: str | None
    voice_profile_id: str | None = Field(None, description="The voice profile spoken with")
    similarity: float | None = Field(None, description=(
        "Speaker similarity of the output to the voice profile's reference (cosine of "
        "Resemblyzer embeddings; same speaker ~0.8-0.95)"))
    verify: VerifyOut | None = Field(None, description="The listening check, when asked for")
    task: str | None = Field(None, description="Set for jobs that are not plain speech "
                                               "(voice_match)")
    warnings: list[str] = Field(default_factory=list, description=(
        "What the engine did not honour: SSML tags it ignored, lexicon phonemes it cannot "
        "speak (docs/SSML.md)"))
    spoken_text: str | None = Field(None, description=(
        "What was said: the text after normalisation, once the job is complete"))

    @classmethod
    def of(cls, job: TTSJob) -> JobOut:
        parameters = job.parameters or {}
        verify = None
        if parameters.get("verify"):
            options = parameters["verify"]
            verify = VerifyOut(max_wer=options.get("max_wer", 0.0),
                               max_tries=options.get("max_tries", 1), wer=job.wer,
                               passed=None if job.wer is None
                               else job.wer <= options.get("max_wer", 0.0),
                               tries=[VerifyTryOut(**t) for t in job.verify_tries or ()])
        return cls(id=job.id, model_id=job.model_id, voice=job.voice, text=job.text,
                   parameters=parameters, format=job.output_format,
                   status=job.status,  # type: ignore[arg-type]
                   error=job.error, progress=job.progress, attempts=job.attempts,
                   queued_at=job.queued_at, started_at=job.started_at,
                   finished_at=job.finished_at, duration_seconds=job.duration_seconds,
                   sample_rate=job.sample_rate, batch_id=job.batch_id,
                   audio_url=f"/api/tts/jobs/{job.id}/audio"
                   if job.status == "complete" and job.audio_path else None,
                   voice_profile_id=job.voice_profile_id,
                   similarity=job.similarity, verify=verify, task=parameters.get("task"),
                   warnings=list(job.warnings or ()), spoken_text=job.spoken_text)


class VerifyTryOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    attempt: int = Field(description="1 for the first generation")
    seed: int | None
    wer: float
    transcript: str
    seconds: float | None = None


class VerifyOut(BaseModel):
    max_wer: float
    max_tries: int
    wer: float | None = Field(description="Word error rate of the kept audio")
    passed: bool | None = Field(description="wer <= max_wer (None until checked)")
    tries: list[VerifyTryOut]


class CaptionWordOut(BaseModel):
    word: str = Field(description="A word of the job's text, as written")
    start: float
    end: float
    matched: bool = Field(description="False: heard differently or not at all; the timing is "
                                      "interpolated")


class CaptionCueOut(BaseModel):
    index: int
    start: float
    end: float
    text: str


class CaptionsOut(BaseModel):
    job_id: str
    duration: float
    transcript: str = Field(description="What the speech recognizer heard")
    words: list[CaptionWordOut]
    cues: list[CaptionCueOut]


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


class EngineVoiceOut(BaseModel):
    model_config = ConfigDict(extra="allow", protected_namespaces=())

    model_id: str
    similarity: float | None = Field(None, description="Similarity of the engine voice's "
                                                       "speech to the reference")
    baseline_voice: str | None = Field(None, description="The closest preset voice")
    baseline_similarity: float | None = None
    job_id: str | None = Field(None, description="The matching job")


class VoiceProfileOut(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    id: str
    name: str
    description: str | None
    tags: list[str]
    model_id: str | None
    transcript: str | None = Field(description="What the reference says (edit with PATCH)")
    transcript_source: str | None = Field(description='"user" or "whisper:<model>"')
    duration_seconds: float | None
    sample_rate: int | None
    created_at: UtcDatetime
    audio_url: str
    voice: str = Field(description="What to send as `voice` to speak with this profile")
    engine_voices: dict[str, EngineVoiceOut] = Field(description=(
        "Engine voices made from this profile (kokoro: POST /api/voices/{id}/match)"))
    similarity: float | None = Field(None, description="Best similarity of an engine voice")

    @classmethod
    def of(cls, profile: VoiceProfile) -> VoiceProfileOut:
        engines = {model_id: EngineVoiceOut(model_id=model_id, **{
            k: v for k, v in info.items() if k != "model_id"})
            for model_id, info in (profile.engine_voices or {}).items()}
        scores = [e.similarity for e in engines.values() if e.similarity is not None]
        return cls(id=profile.id, name=profile.name, description=profile.description,
                   tags=list(profile.tags or []), model_id=profile.model_id,
                   transcript=profile.reference_text, transcript_source=profile.transcript_source,
                   duration_seconds=profile.duration_seconds, sample_rate=profile.sample_rate,
                   created_at=profile.created_at,
                   audio_url=f"/api/voices/{profile.id}/audio",
                   voice=f"profile:{profile.id}", engine_voices=engines,
                   similarity=max(scores) if scores else None)


class VoicePatchIn(BaseModel):
    model_config = STRICT

    name: str | None = Field(None, min_length=1, max_length=128)
    description: str | None = Field(None, max_length=2000)
    tags: list[str] | None = Field(None, max_length=20)
    transcript: str | None = Field(None, max_length=5000)


class MatchIn(BaseModel):
    model_config = STRICT

    model_id: str = Field("kokoro", description="The engine to make a voice for")
    budget_s: float | None = Field(None, gt=0, le=3600, description=(
        "Seconds of search (at most VOICE_MATCH_BUDGET_S)"))
    max_evals: int | None = Field(None, ge=5, le=10_000, description=(
        "Most candidate voices tried (at most VOICE_MATCH_MAX_EVALS)"))
    seed: int = Field(0, ge=0, description="Seed of the evolutionary search")


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
    parameters: dict[str, dict[str, Any]] = Field(default_factory=dict, description=(
        "The engine parameters a job's `params` may set, as JSON Schema (type, range)"))
    available: bool
    unavailable_reason: str | None
    state: ModelStateOut
    queue_depth: int


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    """`degraded` (HTTP 503) while jobs cannot run: `problems` says why."""
    version: str
    database: str
    executor: str
    models_available: int
    problems: list[str] = []
    """Empty when ok; else e.g. the database cannot be written, a queue group has no live
    worker."""


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
