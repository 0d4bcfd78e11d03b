"""What each (model, voice) sounds like: loudness learnt from finished outputs, on disk.

A stream is levelled with one gain chosen before its first chunk goes out (audio/loudness.py),
so the gain has to be known in advance. This file remembers, per `model/voice`, the loudness
the engine's raw output has (as implied by the levelled outputs it made): a seconds-weighted
running mean, so one odd text does not swing it and a changed engine is followed within a few
minutes of speech.

It lives in DATA_DIR/loudness.json, shared by every worker of the installation that sees that
directory. Writes are read-modify-write under a lock held across threads (a `threading.Lock`)
and processes (`flock` on a sidecar lock file), and land atomically (a temporary file in the
same directory, then `os.replace`), so a reader never sees half a file. Reads are cached and
re-read only when the file changes. A calibration that cannot be read or written is logged
and ignored: loudness is never a reason for a job to fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MEMORY_SECONDS = 600.0
"""The running mean weighs the past as at most this many seconds of speech, so it keeps
following the engine (a new version, changed parameters) instead of freezing."""


@dataclass(frozen=True)
class VoiceLoudness:
    lufs: float
    """Integrated loudness (LUFS) of this voice's raw output, limiter losses included."""
    seconds: float
    """Seconds of output the mean is made of (capped at MEMORY_SECONDS)."""
    outputs: int
    """Outputs learnt from."""


class Calibration:
    """The per-(model, voice) loudness file of one data directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], dict[str, VoiceLoudness]] | None = None

    @staticmethod
    def key(model_id: str, voice: str | None) -> str:
        return f"{model_id}/{voice or ''}"

    def get(self, key: str) -> VoiceLoudness | None:
        return self.all().get(key)

    def all(self) -> dict[str, VoiceLoudness]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("loudness calibration %s unreadable: %s", self.path, exc)
            return {}
        version = (stat.st_mtime_ns, stat.st_size)
        cached = self._cached
        if cached is not None and cached[0] == version:
            return cached[1]
        entries = self._read()
        self._cached = (version, entries)
        return entries

    def learn(self, key: str, lufs: float, seconds: float) -> VoiceLoudness | None:
        """Fold one output's loudness (`seconds` long) into `key`'s mean; the new entry, or
        None when it could not be stored."""
        if not (math.isfinite(lufs) and seconds > 0):
            return None
        try:
            with self._locked():
                entries = self._read()
                old = entries.get(key)
                if old is None:
                    new = VoiceLoudness(lufs, min(seconds, MEMORY_SECONDS), 1)
                else:
                    weight = min(old.seconds, MEMORY_SECONDS)
                    mean = (old.lufs * weight + lufs * seconds) / (weight + seconds)
                    new = VoiceLoudness(mean, min(weight + seconds, MEMORY_SECONDS),
                                        old.outputs + 1)
                entries[key] = new
                self._write(entries)
                return new
        except OSError as exc:
            log.warning("loudness calibration %s not written: %s", self.path, exc)
            return None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> dict[str, VoiceLoudness]:
        try:
            raw: Any = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("loudness calibration %s unreadable, starting afresh: %s", self.path, exc)
            return {}
        entries: dict[str, VoiceLoudness] = {}
        for key, value in (raw.get("voices") or {}).items() if isinstance(raw, dict) else ():
            with contextlib.suppress(TypeError, ValueError, KeyError):
                entry = VoiceLoudness(float(value["lufs"]), float(value["seconds"]),
                                      int(value["outputs"]))
                if math.isfinite(entry.lufs):
                    entries[str(key)] = entry
        return entries

    def _write(self, entries: dict[str, VoiceLoudness]) -> None:
        body = {"version": 1, "voices": {
            key: {"lufs": round(e.lufs, 3), "seconds": round(e.seconds, 3), "outputs": e.outputs}
            for key, e in sorted(entries.items())}}
        fd, name = tempfile.mkstemp(prefix=".loudness.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(body, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
