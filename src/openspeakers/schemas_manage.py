"""Request/response bodies of history management (delete, prune), limits and storage."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool

from openspeakers.jobs.retention import Removal
from openspeakers.schemas import STRICT, Id


class DeleteJobsIn(BaseModel):
    model_config = STRICT

    job_ids: list[Id] = Field(..., min_length=1, max_length=1000,
                              description="Finished jobs to delete with their audio; pending "
                                          "and running ones are skipped (cancel them first)")


class PruneIn(BaseModel):
    model_config = STRICT

    older_than_days: float = Field(..., strict=True, ge=0, le=36500, description=(
        "Delete the audio of jobs finished more than this many days ago (0: every finished "
        "job; at most 36500, a hundred years)"))
    delete_rows: StrictBool = Field(False, description="Also delete those jobs from the history")


class RemovalOut(BaseModel):
    deleted: list[str] = Field(description="Jobs deleted from the history, with their files")
    audio_cleared: list[str] = Field(description="Jobs kept in the history, audio deleted")
    skipped: dict[str, str] = Field(description="Job id -> why it was left alone")
    files: int = Field(description="Files deleted")
    bytes_freed: int

    @classmethod
    def of(cls, removal: Removal) -> RemovalOut:
        return cls(deleted=removal.deleted, audio_cleared=removal.audio_cleared,
                   skipped=removal.skipped, files=removal.files,
                   bytes_freed=removal.bytes_freed)


class RangeOut(BaseModel):
    min: float
    max: float


class EngineLimitsOut(BaseModel):
    speed: RangeOut = Field(description="Speeds accepted; outside `native_speed` the engine's "
                                        "audio is tempo-changed (pitch kept)")
    native_speed: RangeOut | None = Field(description="Speeds the engine renders itself")
    pitch: RangeOut | None = Field(description="Pitch factors accepted (None: no pitch control)")


class LimitsOut(BaseModel):
    default_model: str = Field(description="DEFAULT_MODEL: used when a request names none")
    max_text_chars: int = Field(description="MAX_TEXT_CHARS: longest text on /api/tts")
    openai_max_input_chars: int = Field(description="OPENAI_MAX_INPUT_CHARS: longest `input` "
                                                    "on /v1/audio/speech")
    max_batch_lines: int = Field(description="MAX_BATCH_LINES: most lines in one batch")
    voice_max_upload_bytes: int
    voice_min_seconds: float
    voice_max_seconds: float
    engines: dict[str, EngineLimitsOut] = Field(description="By model id")


class StorageOut(BaseModel):
    audio_dir: str = Field(description="AUDIO_OUTPUT_DIR")
    audio_bytes: int = Field(description="Disk used by job audio")
    audio_files: int
    retention_days: float = Field(description="AUDIO_RETENTION_DAYS (0: audio kept forever)")
    retention_delete_rows: bool = Field(description="RETENTION_DELETE_ROWS")
