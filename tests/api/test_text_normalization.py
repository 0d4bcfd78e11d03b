"""Text normalisation over HTTP: what the job says it spoke, and what a listener hears."""

from __future__ import annotations

from pathlib import Path

import httpx

from openspeakers.text.normalize import normalize
from tests.conftest import Server
from tests.helpers import transcribe, word_error_rate

TEXT = "Dr. Smith paid $5.50 on 4/5/2026."


def finished(server: Server, http: httpx.Client, **body: object) -> dict:
    response = http.post("/api/tts/generate", json={"model_id": "piper", "text": TEXT, **body})
    assert response.status_code == 202, response.text
    job = server.wait_job(response.json()["id"])
    assert job["status"] == "complete", job
    return job


def test_spoken_text_is_stored_and_heard(server: Server, http: httpx.Client,
                                         text_grammars: Path) -> None:
    job = finished(server, http)
    assert "doctor" in job["spoken_text"]
    assert "five dollars fifty cents" in job["spoken_text"]
    assert job["parameters"].get("normalize", True) is True
    heard = transcribe(http.get(job["audio_url"]).content)  # Whisper writes "$5.50"
    assert word_error_rate(job["spoken_text"], normalize(heard, "en", cache_dir=text_grammars)
                           ) < 0.3, heard
    captions = http.get(f"/api/tts/jobs/{job['id']}/captions", params={"format": "json"})
    assert captions.status_code == 200, captions.text
    said = [w["word"] for w in captions.json()["words"]]
    assert said[:3] == ["doctor", "Smith", "paid"], said
    assert sum(w["matched"] for w in captions.json()["words"]) >= 0.7 * len(said), said


def test_normalize_false_speaks_the_text_as_written(server: Server, http: httpx.Client,
                                                    text_grammars: Path) -> None:
    job = finished(server, http, normalize=False)
    assert job["parameters"]["normalize"] is False
    assert "doctor" not in (job["spoken_text"] or "")
    assert "five dollars" not in (job["spoken_text"] or "")


def test_markdown_and_emoji_are_not_read(server: Server, http: httpx.Client,
                                         text_grammars: Path) -> None:
    job = finished(server, http, text="**Hello** there 🎉, see the [docs](https://x.org).")
    assert job["spoken_text"] == "Hello there, see the docs."


def test_openai_speech_takes_normalize(server: Server, http: httpx.Client,
                                       text_grammars: Path) -> None:
    """`normalize` is an extra field of /v1/audio/speech; the job behind it says what it did."""
    spoken = {}
    for on in (True, False):
        response = http.post("/v1/audio/speech", json={
            "model": "piper", "input": "Dr. Smith paid $5.50.", "voice": "joe",
            "response_format": "wav", "normalize": on})
        assert response.status_code == 200, response.text
        job = server.wait_job(response.headers["X-Job-Id"])
        spoken[on] = job["spoken_text"]
    assert spoken[True] == "doctor Smith paid five dollars fifty cents."
    assert spoken[False] == "Dr. Smith paid $5.50."


def test_an_uncovered_language_is_spoken_as_written_with_a_warning(
        server: Server, http: httpx.Client, text_grammars: Path) -> None:
    job = finished(server, http, text="Il costo è 5 euro.", language="it")
    assert job["spoken_text"] == "Il costo è 5 euro."
    assert any("does not cover language 'it'" in w for w in job["warnings"]), job["warnings"]
