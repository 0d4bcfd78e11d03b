"""Managing the history over HTTP: delete finished jobs with their audio (one, many), prune,
retention in a running server, the limits and storage the server reports, and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.audio_files import beckett_wav
from tests.conftest import Server, make_server

LONG = " ".join(f"Sentence number {i} of a job that takes a while to speak." for i in range(12))


def finished_job(http: httpx.Client, text: str = "Delete me later.", fmt: str = "mp3") -> dict:
    job = http.post("/api/tts/generate", json={"text": text, "model_id": "piper",
                                               "format": fmt}).json()
    done = http.get(f"/api/tts/jobs/{job['id']}", params={"wait": 60}).json()
    assert done["status"] == "complete", done
    return done


def audio_files(server: Server, job_id: str) -> list[str]:
    return sorted(p.name for p in server.audio_dir.glob(f"*{job_id}*"))


def test_delete_one_job_and_its_audio(server: Server, http: httpx.Client) -> None:
    job = finished_job(http)
    assert audio_files(server, job["id"]) == [f"{job['id']}.mp3"]
    assert http.get(f"/api/tts/jobs/{job['id']}/captions").status_code == 200  # words.json
    assert len(audio_files(server, job["id"])) == 2
    response = http.delete(f"/api/tts/history/{job['id']}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["deleted"] == [job["id"]] and body["files"] == 2 and body["bytes_freed"] > 1000
    assert audio_files(server, job["id"]) == []
    assert http.get(f"/api/tts/jobs/{job['id']}").status_code == 404
    assert http.get(f"/api/tts/jobs/{job['id']}/audio").status_code == 404
    again = http.delete(f"/api/tts/history/{job['id']}")
    assert again.status_code == 404 and "no job" in again.json()["detail"]


def test_a_running_job_is_not_deleted(server: Server, http: httpx.Client) -> None:
    job = http.post("/api/tts/generate", json={"text": LONG, "model_id": "kokoro"}).json()
    refused = http.delete(f"/api/tts/history/{job['id']}")
    assert refused.status_code == 409 and "cancel it first" in refused.json()["detail"]
    bulk = http.post("/api/tts/history/delete", json={"job_ids": [job["id"]]}).json()
    assert bulk["deleted"] == [] and bulk["skipped"][job["id"]] in ("pending", "running")
    assert http.delete(f"/api/tts/jobs/{job['id']}").status_code == 200  # cancel
    server.wait_job(job["id"])
    assert http.delete(f"/api/tts/history/{job['id']}").status_code == 200
    assert audio_files(server, job["id"]) == []


def test_delete_many(server: Server, http: httpx.Client) -> None:
    jobs = [finished_job(http, f"Bulk delete number {i}.", "wav") for i in range(3)]
    missing = "0" * 32
    body = http.post("/api/tts/history/delete", json={
        "job_ids": [jobs[0]["id"], jobs[1]["id"], missing]}).json()
    assert sorted(body["deleted"]) == sorted([jobs[0]["id"], jobs[1]["id"]])
    assert body["skipped"] == {missing: "not found"} and body["files"] == 2
    assert http.get(f"/api/tts/jobs/{jobs[2]['id']}").json()["status"] == "complete"
    assert audio_files(server, jobs[2]["id"]) == [f"{jobs[2]['id']}.wav"]
    bad = http.post("/api/tts/history/delete", json={"job_ids": ["../etc/passwd"]})
    assert bad.status_code == 422


def test_limits_and_storage(server: Server, http: httpx.Client) -> None:
    limits = http.get("/api/system/limits").json()
    assert limits["default_model"] == "piper"
    assert limits["max_text_chars"] == 3000, "the server's configured MAX_TEXT_CHARS"
    assert limits["openai_max_input_chars"] == 6000 and limits["max_batch_lines"] == 100
    engines = limits["engines"]
    assert engines["espeak"]["pitch"] == {"min": 0.5, "max": 2.0}
    assert engines["espeak"]["native_speed"] == {"min": 0.5, "max": 2.5}
    assert engines["piper"]["pitch"] is None and engines["kokoro"]["native_speed"]["max"] == 2.0
    assert engines["orpheus"]["native_speed"] is None
    assert engines["orpheus"]["speed"] == {"min": 0.25, "max": 4.0}
    # what the limits say is what the server does
    over = http.post("/api/tts/generate", json={"text": "x" * 3001, "model_id": "piper"})
    assert over.status_code == 400 and "limit is 3000" in over.json()["detail"]
    pitched = http.post("/api/tts/generate", json={"text": "hi", "model_id": "piper",
                                                   "pitch": 1.5})
    assert pitched.status_code == 400 and "does not support pitch" in pitched.json()["detail"]

    finished_job(http, "Some audio on the disk.", "wav")
    storage = http.get("/api/system/storage").json()
    on_disk = [p for p in server.audio_dir.iterdir() if p.is_file()]
    assert storage["audio_files"] == len(on_disk)
    assert storage["audio_bytes"] == sum(p.stat().st_size for p in on_disk) > 0
    assert storage["retention_days"] == 0 and Path(storage["audio_dir"]) == server.audio_dir


def test_retention_in_a_running_server(tmp_path: Path) -> None:
    """With a retention of ~1 s checked every 0.3 s: finished audio goes, its row stays with a
    message; a job that runs through many retention runs completes (its file is untouched)."""
    instance = make_server(tmp_path, AUDIO_RETENTION_DAYS=str(1.0 / 86400),
                           RETENTION_INTERVAL="0.3", PRELOAD_STANDBY="false").start()
    try:
        with instance.client() as http:
            long_job = http.post("/api/tts/generate", json={
                "text": LONG, "model_id": "piper", "format": "flac"}).json()
            done = instance.wait_job(long_job["id"], timeout=300)
            assert done["status"] == "complete", done
            assert done["duration_seconds"] > 20, "a job that ran through retention runs"
            deadline = time.monotonic() + 30
            while audio_files(instance, long_job["id"]) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert audio_files(instance, long_job["id"]) == [], "pruned once finished"
            row = http.get(f"/api/tts/jobs/{long_job['id']}").json()
            assert row["status"] == "complete" and row["audio_url"] is None
            audio = http.get(f"/api/tts/jobs/{long_job['id']}/audio")
            assert audio.status_code == 409 and "AUDIO_RETENTION_DAYS" in audio.json()["detail"]
            assert http.get("/api/system/storage").json()["retention_days"] > 0
    finally:
        instance.kill_all()


def cli(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(root / "data"), "AUDIO_OUTPUT_DIR": str(root / "audio"),
           "MODEL_CACHE_DIR": str(root / "cache"), "PRELOAD_STANDBY": "false"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "openspeakers.cli", *args], env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_cli_jobs_voices_and_keys(tmp_path: Path) -> None:
    assert "no API keys" in cli(tmp_path, "keys", "list").stdout
    assert "no jobs" in cli(tmp_path, "jobs", "list").stdout
    out = tmp_path / "one.wav"
    for text in ("First job from the command line.", "Second job from the command line."):
        cli(tmp_path, "say", text, "--model", "piper", "-o", str(out))
    listed = cli(tmp_path, "jobs", "list").stdout.splitlines()
    assert len(listed) == 2 and all("complete" in line and "piper" in line for line in listed)
    first, second = (line.split()[0] for line in listed)
    assert sorted(p.name for p in (tmp_path / "audio").iterdir()) == sorted(
        [f"{first}.wav", f"{second}.wav"])
    deleted = cli(tmp_path, "jobs", "delete", first, "f" * 32, check=False)
    assert deleted.returncode == 1, "an id that is not there is reported"
    assert "deleted 1 jobs" in deleted.stdout and "not found" in deleted.stderr
    assert not (tmp_path / "audio" / f"{first}.wav").exists()
    assert "--older-than" in cli(tmp_path, "jobs", "prune", check=False).stderr
    assert "audio of 0 jobs" in cli(tmp_path, "jobs", "prune", "--older-than", "1").stdout
    pruned = cli(tmp_path, "jobs", "prune", "--older-than", "0", "--rows").stdout
    assert "1 jobs deleted" in pruned
    assert list((tmp_path / "audio").iterdir()) == []
    assert "no jobs" in cli(tmp_path, "jobs", "list").stdout

    assert "no voice profiles" in cli(tmp_path, "voices", "list").stdout
    reference = tmp_path / "beckett.wav"
    reference.write_bytes(beckett_wav())
    added = cli(tmp_path, "voices", "add", "Beckett", str(reference), "--tag", "human").stdout
    profile = added.split()[0]
    assert len(profile) == 32 and "Beckett" in added
    assert profile in cli(tmp_path, "voices", "list").stdout
    noise = tmp_path / "noise.wav"
    noise.write_bytes(b"RIFF not really audio")
    refused = cli(tmp_path, "voices", "add", "Noise", str(noise), check=False)
    assert refused.returncode != 0 and "not audio" in refused.stderr
    assert "deleted" in cli(tmp_path, "voices", "delete", profile).stdout
    assert "no voice profiles" in cli(tmp_path, "voices", "list").stdout
    assert not list((tmp_path / "data" / "voices").glob(f"{profile}*"))
