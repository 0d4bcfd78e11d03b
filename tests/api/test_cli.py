"""The command line: say (through the job queue), models, migrate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import probe, transcribe, word_error_rate


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"),
           "AUDIO_OUTPUT_DIR": str(tmp_path / "audio"), "MODEL_CACHE_DIR": str(tmp_path / "c"),
           "PRELOAD_STANDBY": "false"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "openspeakers.cli", *args], env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def test_say_writes_the_format_of_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "hello.mp3"
    text = "Hello from the command line."
    result = cli(tmp_path, "say", text, "--model", "piper", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert probe(data)["codec"] == "mp3"
    assert word_error_rate(text, transcribe(data)) <= 0.2
    listed = cli(tmp_path, "models")
    assert "piper" in listed.stdout and "orpheus" in listed.stdout
    assert "openspeakers[orpheus]" in listed.stdout


def test_say_refuses_bad_input(tmp_path: Path) -> None:
    bad_format = cli(tmp_path, "say", "hi", "-o", str(tmp_path / "x.xyz"))
    assert bad_format.returncode != 0 and "unsupported format 'xyz'" in bad_format.stderr
    bad_voice = cli(tmp_path, "say", "hi", "--voice", "ghost", "-o", str(tmp_path / "x.wav"))
    assert bad_voice.returncode != 0 and "valid voices: joe" in bad_voice.stderr
    assert not (tmp_path / "x.wav").exists()


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        result = cli(tmp_path, "migrate")
        assert result.returncode == 0 and "up to date" in result.stdout
    assert (tmp_path / "data" / "openspeakers.db").stat().st_size > 0
