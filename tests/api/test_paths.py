"""The documented paths answer as written, with and without the trailing slash, for every method
(multipart POST included), without a redirect; the UI's pages and the offline API docs."""

from __future__ import annotations

import httpx
import pytest

from openspeakers.api.app import UI_DIR
from tests.audio_files import beckett_wav
from tests.conftest import Server, service_missing

READS = ["/api/models", "/api/voices", "/api/tts/jobs", "/api/system/health",
         "/api/system/gpu", "/api/system/limits", "/api/system/storage",
         "/api/voices/builtin/piper", "/api/models/piper", "/v1/models", "/v1/audio/models",
         "/v1/audio/voices", "/openapi.json", "/docs", "/redoc", "/api/lexicon"]


def no_redirect(response: httpx.Response, expected: int) -> None:
    assert not response.is_redirect, f"{response.request.url}: {response.status_code} redirect"
    assert response.status_code == expected, (response.request.url, response.text[:300])


@pytest.mark.parametrize("slash", ["", "/"], ids=["bare", "slash"])
@pytest.mark.parametrize("path", READS)
def test_reads(server: Server, path: str, slash: str) -> None:
    no_redirect(httpx.get(f"{server.url}{path}{slash}", timeout=30), 200)


@pytest.mark.parametrize("slash", ["", "/"], ids=["bare", "slash"])
def test_writes_every_method(server: Server, slash: str) -> None:
    """POST (JSON and multipart), PATCH and DELETE, each spelled with or without the slash."""
    with httpx.Client(base_url=server.url, timeout=120, follow_redirects=False) as http:
        created = http.post(f"/api/voices{slash}", data={"name": "Slash test"},
                            files={"file": ("beckett.wav", beckett_wav(), "audio/wav")})
        no_redirect(created, 201)
        voice = created.json()["id"]
        no_redirect(http.patch(f"/api/voices/{voice}{slash}", json={"name": "Renamed"}), 200)
        assert http.get(f"/api/voices/{voice}{slash}").json()["name"] == "Renamed"
        no_redirect(http.delete(f"/api/voices/{voice}{slash}"), 204)
        no_redirect(http.get(f"/api/voices/{voice}{slash}"), 404)

        job = http.post(f"/api/tts/generate{slash}", json={
            "text": "A trailing slash is fine.", "model_id": "piper"})
        no_redirect(job, 202)
        job_id = job.json()["id"]
        done = http.get(f"/api/tts/jobs/{job_id}{slash}", params={"wait": 60})
        no_redirect(done, 200)
        assert done.json()["status"] == "complete"
        no_redirect(http.get(f"/api/tts/jobs/{job_id}/audio{slash}"), 200)
        no_redirect(http.delete(f"/api/tts/jobs/{job_id}{slash}"), 409)  # cancel: finished
        no_redirect(http.delete(f"/api/tts/history/{job_id}{slash}"), 200)
        no_redirect(http.get(f"/api/tts/jobs/{job_id}{slash}"), 404)

        speech = http.post(f"/v1/audio/speech{slash}", json={
            "model": "tts-1", "input": "Hi.", "voice": "alloy", "response_format": "wav"})
        no_redirect(speech, 200)
        assert speech.content[:4] == b"RIFF"


def test_unknown_paths_and_methods_still_fail(server: Server) -> None:
    no_redirect(httpx.get(f"{server.url}/api/nothing/", timeout=30), 404)
    no_redirect(httpx.put(f"{server.url}/api/models/", timeout=30), 405)


@pytest.mark.parametrize("path", ["/", "/tts", "/tts/", "/batch", "/batch/", "/history",
                                  "/history/", "/voices", "/voices/", "/models", "/models/",
                                  "/lexicon", "/lexicon/"])
def test_ui_pages(server: Server, path: str) -> None:
    """The single-page app's index for each page (the browser tests check what it shows)."""
    if not (UI_DIR / "index.html").is_file():
        service_missing("the web UI is not built (make ui)")
    response = httpx.get(f"{server.url}{path}", timeout=30)
    no_redirect(response, 200)
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text and "/_app/" in response.text


@pytest.mark.parametrize(("page", "assets"), [
    ("/docs", ["/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"]),
    ("/redoc", ["/docs/assets/redoc.standalone.js"]),
])
def test_docs_load_nothing_from_elsewhere(server: Server, page: str, assets: list[str]) -> None:
    html = httpx.get(f"{server.url}{page}", timeout=30)
    no_redirect(html, 200)
    assert "cdn." not in html.text and "fonts.googleapis" not in html.text
    assert "default-src 'self'" in html.headers["content-security-policy"]
    for asset in assets:
        assert asset in html.text
        served = httpx.get(f"{server.url}{asset}", timeout=30)
        no_redirect(served, 200)
        assert len(served.content) > 100_000, f"{asset} is the real bundle"
