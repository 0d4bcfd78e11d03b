"""What each (model, voice) sounds like: loudness learnt from finished outputs, on disk.

A stream is levelled with one gain chosen before its first chunk goes out (audio/loudness.py),
so the gain has to be known in advance. This file remembers, per `model/voice`, the loudness
of the engine's raw output and how much the true-peak limiter took off it at the configured
target and ceiling: seconds-weighted running means, so one odd text does not swing them and a
changed engine is followed within a few minutes of speech.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MEMORY_SECONDS = 600.0
"""The running mean weighs the past as at most this many seconds of speech, so it keeps
following the engine (a new version, changed parameters) instead of freezing."""


@dataclass(frozen=True)
class VoiceLoudness:
    lufs: float
    """Integrated loudness (LUFS) of this voice's raw output."""
    loss_db: float
    """What the limiter took off the output's loudness (LU) at `target_lufs`/`ceiling_db`:
    the gain that reaches the target is `target - lufs + loss`."""
    target_lufs: float
    ceiling_db: float
    seconds: float
    """Seconds of output the means are made of (capped at MEMORY_SECONDS)."""
    outputs: int
    """Outputs learnt from."""

    def gain_db(self, target_lufs: float, ceiling_db: float) -> float:
        """The gain that brings this voice to `target_lufs` (the limiter's loss is known only
        for the target and ceiling it was learnt at)."""
        same = (self.target_lufs, self.ceiling_db) == (target_lufs, ceiling_db)
        return target_lufs - self.lufs + (self.loss_db if same else 0.0)


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

    def learn(self, key: str, heard: VoiceLoudness) -> VoiceLoudness | None:
        """Fold one output (`heard`, its `seconds` and `outputs` 1) into `key`'s means; the
        new entry, or None when it could not be stored."""
        if not (math.isfinite(heard.lufs) and math.isfinite(heard.loss_db)
                and heard.seconds > 0):
            return None
        try:
            with self._locked():
                entries = self._read()
                entries[key] = new = _merged(entries.get(key), heard)
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
                entry = VoiceLoudness(
                    float(value["lufs"]), float(value["loss_db"]),
                    float(value["target_lufs"]), float(value["ceiling_db"]),
                    float(value["seconds"]), int(value["outputs"]))
                if math.isfinite(entry.lufs) and math.isfinite(entry.loss_db):
                    entries[str(key)] = entry
        return entries

    def _write(self, entries: dict[str, VoiceLoudness]) -> None:
        body = {"version": 1, "voices": {
            key: {"lufs": round(e.lufs, 3), "loss_db": round(e.loss_db, 3),
                  "target_lufs": e.target_lufs, "ceiling_db": e.ceiling_db,
                  "seconds": round(e.seconds, 3), "outputs": e.outputs}
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


def _merged(old: VoiceLoudness | None, heard: VoiceLoudness) -> VoiceLoudness:
    """`old`'s means moved towards `heard` by its share of the seconds; a loss learnt at
    another target or ceiling is replaced, not averaged."""
    seconds = min(heard.seconds, MEMORY_SECONDS)
    if old is None:
        return replace(heard, seconds=seconds, outputs=1)
    weight = min(old.seconds, MEMORY_SECONDS)
    share = heard.seconds / (weight + heard.seconds)
    same = (old.target_lufs, old.ceiling_db) == (heard.target_lufs, heard.ceiling_db)
    loss = old.loss_db + (heard.loss_db - old.loss_db) * share if same else heard.loss_db
    return VoiceLoudness(old.lufs + (heard.lufs - old.lufs) * share, loss, heard.target_lufs,
                         heard.ceiling_db, min(weight + heard.seconds, MEMORY_SECONDS),
                         old.outputs + 1)
