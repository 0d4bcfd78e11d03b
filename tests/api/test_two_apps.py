"""Settings are passed in, never looked up: two apps built with different settings in one
process each keep to their own directories (database, audio, voices, model cache)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openspeakers.api.app import create_app
from openspeakers.config import Settings
from tests.audio_files import BECKETT_TEXT, beckett_wav
from tests.helpers import probe

KOKORO_REPO = "models--hexgrad--Kokoro-82M"


def _settings(root: Path) -> Settings:
    return Settings(data_dir=root / "data", audio_output_dir=root / "audio",
                    model_cache_dir=root / "cache", preload_standby=False, cpu_workers=1,
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, TestClient]]:
    monkeypatch.chdir(tmp_path)  # anything read or written relative to the cwd shows up here
    with ExitStack() as stack:
        yield {name: stack.enter_context(TestClient(create_app(_settings(tmp_path / name))))
               for name in ("one", "two")}


def _finished(client: TestClient, job_id: str) -> dict:
    for _ in range(1200):
        job = client.get(f"/api/tts/jobs/{job_id}").json()
        if job["status"] in ("complete", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']}")


def test_two_apps_in_one_process_use_their_own_directories(
        apps: dict[str, TestClient], tmp_path: Path) -> None:
    # a model cache that only app "one" has: kokoro-torch's voices come from its snapshot
    voices = tmp_path / "one" / "cache" / KOKORO_REPO / "snapshots" / "tiny" / "voices"
    voices.mkdir(parents=True)
    for name in ("bf_emma", "af_bella"):
        (voices / f"{name}.pt").write_bytes(b"")
    listed = {name: [v["id"] for v in client.get("/api/voices/builtin/kokoro-torch").json()]
              for name, client in apps.items()}
    assert listed["one"] == ["af_bella", "bf_emma"]
    assert len(listed["two"]) == 54  # the stock list: app "two" has no snapshot

    jobs = {name: client.post("/api/tts/generate", json={
        "text": f"Spoken by app {name}.", "model_id": "piper", "format": "wav"}).json()
        for name, client in apps.items()}
    for name, client in apps.items():
        job = _finished(client, jobs[name]["id"])
        assert job["status"] == "complete", job["error"]
        audio = tmp_path / name / "audio" / f"{job['id']}.wav"
        assert audio.is_file() and probe(audio.read_bytes())["sample_rate"] == 22050
        other = "two" if name == "one" else "one"
        assert client.get(f"/api/tts/jobs/{jobs[other]['id']}").status_code == 404

    made = apps["one"].post("/api/voices", data={"name": "Beckett", "transcript": BECKETT_TEXT},
                            files={"file": ("b.wav", beckett_wav(), "audio/wav")})
    assert made.status_code == 201, made.text
    profile = made.json()["id"]
    assert (tmp_path / "one" / "data" / "voices" / f"{profile}.wav").is_file()
    assert apps["two"].get(f"/api/voices/{profile}").status_code == 404
    assert not (tmp_path / "two" / "data" / "voices" / f"{profile}.wav").exists()
    assert not (tmp_path / "data").exists() and not (tmp_path / "audio_output").exists()
    assert not (tmp_path / "model_cache").exists()
