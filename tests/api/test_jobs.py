"""Job lifecycle over HTTP: listing, filtering, cancelling pending and running jobs."""

from __future__ import annotations

import time

import httpx

from tests.conftest import Server

LONG = " ".join(f"This is sentence number {i}, and it keeps the engine busy." for i in range(40))


def submit(http: httpx.Client, **body: object) -> dict:
    response = http.post("/api/tts/generate", json=body)
    assert response.status_code == 202, response.text
    return response.json()


def wait_running(server: Server, job_id: str) -> dict:
    return server.wait_job(job_id, until=("running", "complete", "failed", "cancelled"))


def test_cancel_pending_and_running_jobs(server: Server, http: httpx.Client) -> None:
    # kokoro's group has one worker: the second job waits behind the first.
    running = submit(http, text=LONG, model_id="kokoro", format="mp3")
    pending = submit(http, text=LONG, model_id="kokoro", format="mp3")
    assert wait_running(server, running["id"])["status"] == "running"
    assert http.get(f"/api/tts/jobs/{pending['id']}").json()["status"] == "pending"

    cancelled = http.delete(f"/api/tts/jobs/{pending['id']}").json()
    assert cancelled["status"] == "cancelled"

    # let the running job produce at least one sentence, then stop it
    deadline = time.monotonic() + 60
    while http.get(f"/api/tts/jobs/{running['id']}").json()["progress"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    stopped = http.delete(f"/api/tts/jobs/{running['id']}").json()
    assert stopped["status"] == "cancelled"
    assert 0 < stopped["progress"] < 1
    assert stopped["audio_url"] is None

    for job in (running, pending):
        assert not list(server.audio_dir.glob(f"*{job['id']}*")), "no partial file is left"
        assert http.get(f"/api/tts/jobs/{job['id']}/audio").status_code == 409
    assert http.delete(f"/api/tts/jobs/{running['id']}").status_code == 409


def test_cancelling_a_finished_job_is_409(server: Server, http: httpx.Client) -> None:
    job = submit(http, text="Done quickly.", model_id="piper")
    server.wait_job(job["id"])
    response = http.delete(f"/api/tts/jobs/{job['id']}")
    assert response.status_code == 409 and "already complete" in response.json()["detail"]


def test_list_filters_search_and_pages(server: Server, http: httpx.Client) -> None:
    marker = f"zebra{time.monotonic_ns()}"
    ids = [submit(http, text=f"{marker} number {i}.", model_id=model)["id"]
           for i, model in enumerate(["piper", "espeak", "piper"])]
    for job_id in ids:
        server.wait_job(job_id)

    found = http.get("/api/tts/jobs", params={"search": marker}).json()
    assert found["total"] == 3 and {j["id"] for j in found["items"]} == set(ids)
    assert [j["id"] for j in found["items"]] == ids[::-1], "newest first"

    espeak = http.get("/api/tts/jobs", params={"search": marker, "model_id": "espeak"}).json()
    assert [j["id"] for j in espeak["items"]] == [ids[1]]

    page2 = http.get("/api/tts/jobs", params={"search": marker, "page_size": 2,
                                              "page": 2}).json()
    assert page2["pages"] == 2 and [j["id"] for j in page2["items"]] == [ids[0]]

    complete = http.get("/api/tts/jobs", params={"search": marker, "status": "complete"}).json()
    assert complete["total"] == 3
    none = http.get("/api/tts/jobs", params={"search": marker, "status": "failed"}).json()
    assert none["total"] == 0 and none["items"] == []

    literal = http.get("/api/tts/jobs", params={"search": "%"}).json()
    assert all("%" in j["text"] for j in literal["items"]), "% is searched literally"


def test_job_row_says_what_happened(server: Server, http: httpx.Client) -> None:
    job = server.wait_job(submit(http, text="Timing check.", model_id="espeak", voice="de",
                                 pitch=1.3, speed=1.2)["id"])
    assert job["status"] == "complete" and job["attempts"] == 1 and job["error"] is None
    assert job["voice"] == "de" and job["parameters"]["pitch"] == 1.3
    assert job["parameters"]["speed"] == 1.2
    assert job["queued_at"] <= job["started_at"] <= job["finished_at"]
    assert job["duration_seconds"] > 0.3 and job["sample_rate"] == 22050


def test_long_poll_answers_when_the_job_finishes(http: httpx.Client) -> None:
    job = submit(http, text="Waiting without polling.", model_id="piper")
    finished = http.get(f"/api/tts/jobs/{job['id']}", params={"wait": 30}).json()
    assert finished["status"] == "complete" and finished["audio_url"]
    assert http.get(f"/api/tts/jobs/{job['id']}", params={"wait": 61}).status_code == 422
