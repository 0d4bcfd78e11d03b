"""The result cache: finished outputs on disk, addressed by what determined their bytes.

A job's key (`cache_key`) is the SHA-256 of the canonical JSON of everything that decides its
audio: model, voice, voice profile, every stored parameter that changes the output (speed,
pitch, tempo, language, instructions, engine params, and whatever options later features store
in `parameters`, such as text normalisation or loudness), the output format and the text. A
request identical to a finished one is then answered from the cache by the job service without
a worker (jobs/service.py); the runner stores each finished output (jobs/runner.py).

Layout: `CACHE_DIR/<key[:2]>/<key>.<format>` (the audio, hard-linked to or copied from the
job's file) beside `<key>.json` (its sample rate and duration). Every write is a temporary
file renamed into place, the audio last, so several processes (API, Celery workers) can share
one directory: a reader sees a whole entry or none. Least recently used entries (by the audio
file's mtime, touched on every hit) are evicted once the directory is over CACHE_MAX_BYTES.
Keys are checked to be 64 hex characters and formats to be known ones, so no path built here
can leave CACHE_DIR.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from openspeakers.audio.encoding import FORMATS
from openspeakers.config import Settings
from openspeakers.db.models import JobStatus, TTSJob, utcnow
from openspeakers.text.lexicon import Entry as LexiconWord
from openspeakers.text.lexicon import entries_for

log = logging.getLogger(__name__)

KEY_VERSION = 1
"""Part of every key: raised when the way outputs are made changes, so old entries miss."""
UNCACHEABLE = ("verify", "task")
"""Parameters that make a job uncacheable: listening checks (their point is a new
generation) and tasks such as voice matching (not speech)."""
NOT_IN_KEY = frozenset({"keep_alive", "cache"})
"""Parameters that do not change the output bytes."""
_KEY = re.compile(r"^[0-9a-f]{64}$")


def cache_key(job: TTSJob, lexicon: Sequence[LexiconWord] = ()) -> str | None:
    """The key of `job`'s output, or None if it must not be cached (`cache: false`, `verify`,
    a `task`). `lexicon`: the pronunciation entries that apply to its model (read at run time
    by the worker, so they are part of what shapes the audio: any edit of them misses)."""
    parameters = dict(job.parameters or {})
    if parameters.get("cache") is False or any(parameters.get(name) for name in UNCACHEABLE):
        return None
    identity = {
        "v": KEY_VERSION,
        "model_id": job.model_id,
        "voice": job.voice,
        "voice_profile_id": job.voice_profile_id,
        "format": job.output_format,
        "text": job.text,
        "parameters": {k: v for k, v in parameters.items() if k not in NOT_IN_KEY},
        "lexicon": sorted([entry.word, entry.replacement, entry.phonemes, entry.alphabet]
                          for entry in lexicon),
    }
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Entry:
    """A cached output: its audio file and what the job row needs from it."""

    path: Path
    sample_rate: int
    duration: float
    spoken_text: str | None = None
    """What the engine was given to say (the job's text normalised), for the hit's row."""


@dataclass(frozen=True)
class Stats:
    entries: int
    bytes: int
    max_bytes: int
    directory: Path


class ResultCache:
    """One cache directory with a size limit. Safe for several threads and processes."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root.resolve()
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> ResultCache | None:
        """The configured cache, or None when CACHE_ENABLED is false."""
        if not settings.cache_enabled:
            return None
        return cls(settings.resolved_cache_dir, settings.cache_max_bytes)

    # paths -----------------------------------------------------------------------------------
    def _paths(self, key: str, fmt: str) -> tuple[Path, Path]:
        """The audio and metadata paths of `key`; refuses anything that is not a key or a
        format (so nothing outside the cache directory is ever named)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        if fmt not in FORMATS:
            raise ValueError(f"not an audio format: {fmt!r}")
        folder = self.root / key[:2]
        return folder / f"{key}.{fmt}", folder / f"{key}.json"

    # reading ---------------------------------------------------------------------------------
    def get(self, key: str, fmt: str) -> Entry | None:
        """The entry of `key`, touched as just used; None when absent or half-evicted."""
        audio, meta = self._paths(key, fmt)
        try:
            info = json.loads(meta.read_text())
            os.utime(audio)  # least recently used = oldest mtime
            return Entry(audio, int(info["sample_rate"]), float(info["duration"]),
                         info.get("spoken_text"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def copy_to(self, entry: Entry, destination: Path) -> None:
        """Put the entry's audio at `destination` (a hard link, or a copy across file
        systems), atomically: a reader never sees a partial file."""
        tmp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.cache")
        try:
            try:
                os.link(entry.path, tmp)
            except OSError:
                shutil.copyfile(entry.path, tmp)
            tmp.replace(destination)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    # writing ---------------------------------------------------------------------------------
    def put(self, key: str, fmt: str, source: Path, *, sample_rate: int,
            duration: float, spoken_text: str | None = None) -> None:
        """Store `source` (a finished output) under `key`, then evict past the size limit."""
        if self.max_bytes <= 0:
            return
        audio, meta = self._paths(key, fmt)
        audio.parent.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        meta_tmp = meta.with_name(f".{meta.name}.{token}.tmp")
        audio_tmp = audio.with_name(f".{audio.name}.{token}.tmp")
        try:
            meta_tmp.write_text(json.dumps({"sample_rate": sample_rate, "duration": duration,
                                            "spoken_text": spoken_text}))
            meta_tmp.replace(meta)
            try:
                os.link(source, audio_tmp)
            except OSError:
                shutil.copyfile(source, audio_tmp)
            os.utime(audio_tmp)
            audio_tmp.replace(audio)
        finally:
            meta_tmp.unlink(missing_ok=True)
            audio_tmp.unlink(missing_ok=True)
        self.evict()

    def evict(self) -> int:
        """Delete least recently used entries until the cache fits CACHE_MAX_BYTES; returns
        the bytes freed. Leftovers (metadata without audio, stale temporary files) go too."""
        files = self._audio_files()
        total = sum(size for _, size, _ in files)
        freed = 0
        for path, size, _ in sorted(files, key=lambda item: item[2]):
            if total <= self.max_bytes:
                break
            if self._remove(path):
                total -= size
                freed += size
        self._sweep()
        return freed

    def clear(self) -> Stats:
        """Delete every entry; returns what was there."""
        before = self.stats()
        for path, _, _ in self._audio_files():
            self._remove(path)
        self._sweep(stale_after=0.0)
        return before

    def stats(self) -> Stats:
        files = self._audio_files()
        return Stats(len(files), sum(size for _, size, _ in files), self.max_bytes, self.root)

    # housekeeping ----------------------------------------------------------------------------
    def _audio_files(self) -> list[tuple[Path, int, float]]:
        """(path, size, mtime) of every stored audio file."""
        found = []
        for folder in self._folders():
            for item in _scan(folder):
                name = item.name
                if name.startswith(".") or name.endswith(".json"):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    stat = item.stat()
                    found.append((Path(item.path), stat.st_size, stat.st_mtime))
        return found

    def _folders(self) -> list[Path]:
        return [Path(item.path) for item in _scan(self.root)
                if len(item.name) == 2 and item.is_dir(follow_symlinks=False)]

    def _remove(self, audio: Path) -> bool:
        """Delete one entry (audio first: a reader then misses it cleanly)."""
        try:
            audio.unlink()
        except FileNotFoundError:
            return False
        audio.with_suffix(".json").unlink(missing_ok=True)
        return True

    def _sweep(self, stale_after: float = 3600.0) -> None:
        """Metadata whose audio is gone, and temporary files older than `stale_after` s
        (a writer that died), are deleted."""
        now = time.time()
        for folder in self._folders():
            names = {item.name for item in _scan(folder)}
            for name in names:
                path = folder / name
                if name.endswith(".json") and not name.startswith("."):
                    stem = name[:-len(".json")]
                    if not any(f"{stem}.{fmt}" in names for fmt in FORMATS):
                        path.unlink(missing_ok=True)
                elif name.startswith("."):
                    with contextlib.suppress(FileNotFoundError):
                        if now - path.stat().st_mtime >= stale_after:
                            path.unlink(missing_ok=True)


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except FileNotFoundError:
        return []


def store_finished(cache: ResultCache | None, key: str | None, fmt: str, final: Path, *,
                   sample_rate: int, duration: float, spoken_text: str | None = None) -> None:
    """The runner's one call: keep a finished job's output under the key its row had when it
    was claimed (None: not cacheable). A failure here is logged, never a failed job: the audio
    is already delivered."""
    if cache is None or key is None:
        return
    try:
        cache.put(key, fmt, final, sample_rate=sample_rate, duration=duration,
                  spoken_text=spoken_text)
    except OSError as exc:
        log.warning("could not store %s in the result cache: %s", final.name, exc)


def key_now(session: Session, job: TTSJob) -> str | None:
    """`cache_key` with the lexicon entries of the job's model as they are now."""
    if cache_key(job) is None:
        return None
    return cache_key(job, entries_for(session, job.model_id))


def lookup(cache: ResultCache | None, job: TTSJob, session: Session) -> Entry | None:
    """The cached output of a job not yet run, if any."""
    if cache is None:
        return None
    key = key_now(session, job)
    return cache.get(key, job.output_format) if key is not None else None


def serve_hits(cache: ResultCache | None, jobs: Sequence[TTSJob], audio_dir: Path,
               sessions: sessionmaker[Session]) -> list[TTSJob]:
    """Complete the unsaved rows among `jobs` whose output is cached: audio linked into
    `audio_dir`, duration and sample rate set. Returns them; the caller commits all rows and
    enqueues only the others (`discard` undoes this when the commit fails)."""
    hits: list[TTSJob] = []
    if cache is None:
        return hits
    with sessions() as session:
        entries = [lookup(cache, job, session) for job in jobs]
    for job, entry in zip(jobs, entries, strict=True):
        if entry is None:
            continue
        name = f"{job.id}.{job.output_format}"
        audio_dir.mkdir(parents=True, exist_ok=True)
        try:
            cache.copy_to(entry, audio_dir / name)
        except OSError as exc:  # evicted meanwhile, or unreadable: generate it
            log.info("result cache entry for job %s unusable: %s", job.id, exc)
            continue
        now = utcnow()
        job.status, job.progress, job.started_at, job.finished_at = (
            JobStatus.complete, 1.0, now, now)
        job.audio_path, job.duration_seconds, job.sample_rate, job.spoken_text = (
            name, entry.duration, entry.sample_rate, entry.spoken_text)
        hits.append(job)
    return hits


def discard(hits: Sequence[TTSJob], audio_dir: Path) -> None:
    """Remove the audio `serve_hits` put in place for rows that were not committed."""
    for job in hits:
        if job.audio_path:
            (audio_dir / job.audio_path).unlink(missing_ok=True)


def served_from_cache(job: TTSJob) -> bool:
    """Whether a row just passed to `JobService.enqueue` was answered from the cache: only a
    hit is complete at once (workers update their own copies of a row, never the caller's)."""
    return job.status == JobStatus.complete


__all__ = ["Entry", "ResultCache", "Stats", "cache_key", "discard", "lookup", "serve_hits",
           "served_from_cache", "store_finished"]
