"""/api/voices over HTTP on both executors: safe uploads (nothing written when refused),
transcripts, editing, deleting, and ids that are only ids."""

from __future__ import annotations

from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.audio_files import BECKETT_TEXT, beckett_wav, long_mp3, tone, wav_of
from tests.conftest import Server
from tests.helpers import probe, word_error_rate


def voices_dir(server: Server) -> Path:
    return Path(server.env["DATA_DIR"]) / "voices"


def stored(server: Server, http: httpx.Client) -> tuple[int, list[str]]:
    """What a refused upload must not change: the profiles and the files in DATA_DIR/voices."""
    folder = voices_dir(server)
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return len(http.get("/api/voices").json()), files


def upload(http: httpx.Client, data: bytes, *, filename: str = "voice.wav",
           **fields: object) -> httpx.Response:
    return http.post("/api/voices", data={"name": "Beckett", **fields},
                     files={"file": (filename, data, "audio/wav")})


def test_upload_read_edit_and_delete(server: Server, http: httpx.Client) -> None:
    before = stored(server, http)
    response = upload(http, beckett_wav(), filename="../../beckett.wav",
                      tags=["human", "reader"], description="Samuel Beckett, read aloud")
    assert response.status_code == 201, response.text
    voice = response.json()
    assert voice["name"] == "Beckett" and voice["tags"] == ["human", "reader"]
    assert voice["description"] == "Samuel Beckett, read aloud"
    assert voice["transcript_source"] == "whisper:tiny.en"
    assert word_error_rate(BECKETT_TEXT, voice["transcript"]) <= 0.3, voice["transcript"]
    assert 8.0 < voice["duration_seconds"] < 10.5 and voice["sample_rate"] == 24000
    assert voice["voice"] == f"profile:{voice['id']}"
    count, files = stored(server, http)
    assert count == before[0] + 1 and files == sorted([*before[1], f"{voice['id']}.wav"])

    assert http.get(f"/api/voices/{voice['id']}").json() == voice
    assert voice["id"] in [v["id"] for v in http.get("/api/voices").json()]
    audio = http.get(voice["audio_url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    info = probe(audio.content)
    assert (info["sample_rate"], info["channels"]) == (24000, 1)
    assert abs(info["duration"] - voice["duration_seconds"]) < 0.05

    patched = http.patch(f"/api/voices/{voice['id']}", json={
        "name": "Sam", "tags": ["a", "b"], "description": None,
        "transcript": BECKETT_TEXT}).json()
    assert (patched["name"], patched["tags"], patched["description"]) == ("Sam", ["a", "b"], None)
    assert patched["transcript"] == BECKETT_TEXT and patched["transcript_source"] == "user"
    assert http.get(f"/api/voices/{voice['id']}").json()["name"] == "Sam"
    for bad in ({"name": ""}, {"surprise": 1}, {"tags": "not-a-list"}):
        assert http.patch(f"/api/voices/{voice['id']}", json=bad).status_code == 422

    assert http.delete(f"/api/voices/{voice['id']}").status_code == 204
    assert http.get(f"/api/voices/{voice['id']}").status_code == 404
    assert http.get(voice["audio_url"]).status_code == 404
    assert http.delete(f"/api/voices/{voice['id']}").status_code == 404
    assert stored(server, http) == before


def test_a_given_transcript_is_kept(server: Server, http: httpx.Client) -> None:
    voice = upload(http, beckett_wav(), transcript=BECKETT_TEXT).json()
    assert voice["transcript"] == BECKETT_TEXT and voice["transcript_source"] == "user"
    http.delete(f"/api/voices/{voice['id']}")


def test_the_builtin_voices_stay(http: httpx.Client) -> None:
    ids = [v["id"] for v in http.get("/api/voices/builtin/kokoro").json()]
    assert ids == ["jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"]


@pytest.mark.parametrize(("data", "fields", "status", "message"), [
    (b"this is a text file, named .wav\n" * 50, {}, 400, "not audio"),
    (b"", {}, 400, "empty"),
    (wav_of(tone(1.5)), {}, 400, "at least 3 s"),
    (wav_of(np.zeros(24000 * 5, np.float32)), {}, 400, "silent"),
    (wav_of(tone(70.0)), {}, 400, "limit is 60 s"),
    (long_mp3(2.0), {}, 400, "limit is 60 s"),
    (wav_of(tone(4.0)), {"name": "   "}, 400, "name is empty"),
    (wav_of(tone(4.0)), {"model_id": "nope"}, 400, "valid models"),
    (wav_of(tone(4.0)), {"tags": ["x" * 60]}, 400, "longer than 48"),
], ids=["text-as-wav", "empty", "too-short", "silent", "too-long", "two-hours-mp3",
        "no-name", "unknown-model", "long-tag"])
def test_bad_uploads_are_refused_and_nothing_is_written(
        server: Server, http: httpx.Client, data: bytes, fields: dict, status: int,
        message: str) -> None:
    before = stored(server, http)
    response = upload(http, data, **fields)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert stored(server, http) == before


def test_a_form_without_a_file_or_not_multipart_is_refused(server: Server,
                                                           http: httpx.Client) -> None:
    before = stored(server, http)
    response = http.post("/api/voices", data={"name": "x"}, files={"other": ("", b"")})
    assert response.status_code == 400
    response = http.post("/api/voices", json={"name": "x"})
    assert response.status_code == 400 and "multipart" in response.json()["detail"]
    assert stored(server, http) == before


def test_an_upload_over_the_limit_is_refused_while_it_streams(server: Server,
                                                              http: httpx.Client) -> None:
    """21 MiB sent without a length (chunked): refused with 413 once it passes 20 MiB."""
    before = stored(server, http)

    def body() -> Iterator[bytes]:
        yield (b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nBig\r\n--B\r\n'
               b'Content-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n')
        yield wav_of(tone(4.0))
        for _ in range(21):
            yield bytes(1024 * 1024)
        yield b"\r\n--B--\r\n"

    response = http.post("/api/voices", content=body(),
                         headers={"content-type": "multipart/form-data; boundary=B"})
    assert response.status_code == 413 and "20.0 MiB" in response.json()["detail"]
    assert stored(server, http) == before


@pytest.mark.parametrize("voice_id", ["../../etc/passwd", "ZZZZ", "0" * 31, "..%2F..%2Fdata",
                                      "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "a" * 33])
def test_paths_and_malformed_ids_are_refused(server: Server, http: httpx.Client,
                                             voice_id: str) -> None:
    """Sent as written (no client-side clean-up of the dots): never a 2xx, never a file."""
    before = stored(server, http)
    for method, path in (("GET", f"/api/voices/{voice_id}"),
                         ("GET", f"/api/voices/{voice_id}/audio"),
                         ("PATCH", f"/api/voices/{voice_id}"),
                         ("DELETE", f"/api/voices/{voice_id}"),
                         ("POST", f"/api/voices/{voice_id}/match")):
        connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request(method, path, body=b'{"name": "x"}',
                           headers={"content-type": "application/json"})
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        assert answer.status in (404, 405, 422), (method, path, answer.status)
        assert b"root:" not in body
    assert stored(server, http) == before


def test_unknown_voice_is_404(http: httpx.Client) -> None:
    response = http.get(f"/api/voices/{'b' * 32}")
    assert response.status_code == 404 and "no voice profile" in response.json()["detail"]
