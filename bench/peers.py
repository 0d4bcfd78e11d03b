"""Single-engine Piper servers from PyPI, each in a throwaway virtual environment of its own.

A peer is installed once into `$XDG_CACHE_HOME/openspeakers-bench/<name>` (kept between runs,
deleted with `--fresh`) from the ordinary package index pip is configured for, so the servers
we compare against are the ones their users install, not re-implementations.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def cache_root() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "openspeakers-bench"


@dataclass(frozen=True)
class PeerEnv:
    """A virtual environment with `packages` installed."""

    name: str
    packages: tuple[str, ...]

    @property
    def path(self) -> Path:
        return cache_root() / self.name

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def bin(self, name: str) -> Path:
        return self.path / "bin" / name

    def ensure(self, *, fresh: bool = False) -> PeerEnv:
        """Create the environment and install the packages unless that was done already."""
        stamp = self.path / ".installed"
        wanted = "\n".join(self.packages)
        if fresh and self.path.exists():
            shutil.rmtree(self.path)
        if stamp.exists() and stamp.read_text() == wanted:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(self.path)], check=True)
        subprocess.run([str(self.python), "-m", "pip", "--disable-pip-version-check", "-q",
                        "install", *self.packages], check=True)
        stamp.write_text(wanted)
        return self


PIPER_HTTP = PeerEnv("piper-http", ("piper-tts==1.8.0", "flask"))
"""piper-tts's own `python -m piper.http_server` (Flask, needs the `flask` package)."""
WYOMING_PIPER = PeerEnv("wyoming-piper", ("wyoming-piper==2.5.2",))
"""rhasspy's wyoming-piper (Home Assistant's Piper server)."""
