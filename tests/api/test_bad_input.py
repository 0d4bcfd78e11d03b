"""Every bad request gets a 4xx that says what was wrong, and nothing is written."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Server


def job_count(http: httpx.Client) -> int:
    return http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"text": "hi", "model_id": "nope"}, 400, "valid models: kokoro"),
    ({"text": "hi", "model_id": "piper", "voice": "nobody"}, 400, "valid voices: joe"),
    ({"text": "hi", "model_id": "kokoro", "voice": "af_heart"}, 400, "jf_alpha"),
    ({"text": "   "}, 400, "text is empty"),
    ({"text": "x" * 3001}, 400, "limit is 3000"),
    ({"text": "hi", "format": "ogg-vorbis"}, 422, "mp3"),
    ({"text": "hi", "speed": 9}, 422, "less than or equal to 4"),
    ({"text": "hi", "speed": 0.2}, 422, "greater than or equal to 0.25"),
    ({"text": "hi", "model_id": "piper", "pitch": 1.5}, 400, "does not support pitch"),
    ({"text": "hi", "model_id": "orpheus"}, 503, "openspeakers[orpheus]"),
    ({"text": "hi", "surprise": 1}, 422, "surprise"),
    ({}, 422, "text"),
])
def test_rejected_with_a_message_and_nothing_written(http: httpx.Client, body: dict,
                                                     status: int, message: str) -> None:
    before = job_count(http)
    response = http.post("/api/tts/generate", json=body)
    assert response.status_code == status, response.text
    assert message in response.text
    assert job_count(http) == before


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 101}, {"page": 0},
                                    {"status": "exploded"}])
def test_listing_parameters_are_checked(http: httpx.Client, params: dict) -> None:
    assert http.get("/api/tts/jobs", params=params).status_code == 422


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "ZZZZ", "0" * 31, "..%2F..%2Fdata"])
def test_malformed_ids_are_refused(http: httpx.Client, job_id: str) -> None:
    for path in (f"/api/tts/jobs/{job_id}", f"/api/tts/jobs/{job_id}/audio"):
        assert http.get(path).status_code in (404, 422)
    assert http.get(f"/api/tts/jobs/{job_id}").status_code in (404, 422)


def test_unknown_job_is_404(http: httpx.Client) -> None:
    response = http.get(f"/api/tts/jobs/{'a' * 32}")
    assert response.status_code == 404 and "no job" in response.json()["detail"]


def test_audio_of_an_unfinished_job_is_409(server: Server, http: httpx.Client) -> None:
    text = " ".join(f"Sentence number {i} is here to take a while." for i in range(30))
    job = http.post("/api/tts/generate", json={"text": text, "model_id": "kokoro"}).json()
    response = http.get(f"/api/tts/jobs/{job['id']}/audio")
    assert response.status_code == 409 and "complete" in response.json()["detail"]
    http.delete(f"/api/tts/jobs/{job['id']}")
    assert server.wait_job(job["id"])["status"] in ("cancelled", "complete")
