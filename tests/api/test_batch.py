"""Batches: all-or-nothing submission, aggregate status, streamed ZIP of decodable audio."""

from __future__ import annotations

import io
import time
import zipfile

import httpx

from tests.helpers import probe


def wait_batch(http: httpx.Client, batch_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = http.get(f"/api/tts/batches/{batch_id}").json()
        if status["status"] not in ("pending", "running"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"batch still {status['status']}")


def test_three_lines_make_a_zip_of_three_audio_files(http: httpx.Client) -> None:
    lines = ["One little line.", "", "Two little lines.", "Three little lines."]
    response = http.post("/api/tts/batch", json={"lines": lines, "model_id": "piper",
                                                 "format": "mp3"})
    assert response.status_code == 202, response.text
    batch = response.json()
    assert len(batch["job_ids"]) == 3, "blank lines are skipped"

    status = wait_batch(http, batch["batch_id"])
    assert status["status"] == "complete" and status["counts"] == {"complete": 3}
    assert status["progress"] == 1.0
    assert [j["text"] for j in status["jobs"]] == [line for line in lines if line]

    archive = http.get(f"/api/tts/batches/{batch['batch_id']}/zip")
    assert archive.status_code == 200
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = zipped.namelist()
        assert len(names) == 3 and all(name.endswith(".mp3") for name in names)
        for name in names:
            info = probe(zipped.read(name))
            assert info["codec"] == "mp3" and info["duration"] > 0.5


def test_batch_limits_and_all_or_nothing(http: httpx.Client) -> None:
    before = http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]
    too_many = http.post("/api/tts/batch", json={"lines": [f"line {i}" for i in range(101)]})
    assert too_many.status_code == 400 and "limit is 100" in too_many.text
    blank = http.post("/api/tts/batch", json={"lines": ["", "  "]})
    assert blank.status_code == 400 and "no non-empty lines" in blank.text
    long_line = http.post("/api/tts/batch", json={"lines": ["fine", "x" * 5000]})
    assert long_line.status_code == 400
    assert http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"] == before


def test_unknown_batch(http: httpx.Client) -> None:
    assert http.get(f"/api/tts/batches/{'b' * 32}").status_code == 404
    assert http.get("/api/tts/batches/nope/zip").status_code == 422
