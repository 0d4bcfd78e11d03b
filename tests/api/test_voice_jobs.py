"""Jobs that use voices, over HTTP on both executors: profiles on engines that can and cannot
use them, Kokoro voice matching, blends, listening checks and captions."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.audio_files import BECKETT_TEXT, beckett_wav
from tests.conftest import Server
from tests.helpers import probe


def submit(http: httpx.Client, **body: object) -> httpx.Response:
    return http.post("/api/tts/generate", json=body)


def finished(server: Server, http: httpx.Client, timeout: float = 180, **body: object) -> dict:
    response = submit(http, **body)
    assert response.status_code == 202, response.text
    job = server.wait_job(response.json()["id"], timeout=timeout)
    assert job["status"] == "complete", job
    return job


@pytest.fixture(scope="module")
def beckett(server: Server) -> dict:
    """A voice profile of a real human recording, on each executor's server."""
    with server.client() as http:
        response = http.post("/api/voices", data={"name": "Beckett", "transcript": BECKETT_TEXT},
                             files={"file": ("beckett.wav", beckett_wav(), "audio/wav")})
        assert response.status_code == 201, response.text
        return response.json()


def test_a_profile_on_an_engine_that_cannot_clone_is_refused(
        http: httpx.Client, beckett: dict) -> None:
    response = submit(http, text="Hello.", model_id="piper", voice=beckett["voice"])
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "cannot speak with a voice profile" in detail
    for engine in ("vibevoice-1.5b", "fish-speech", "f5-tts", "chatterbox", "cosyvoice"):
        assert engine in detail
    response = submit(http, text="Hello.", model_id="espeak", voice=beckett["id"])
    assert response.status_code == 400 and "models that can" in response.json()["detail"]


@pytest.mark.parametrize(("voice", "message"), [
    ("profile:../../etc/passwd", "32-hex"), ("profile:" + "c" * 32, "no voice profile"),
    ("jf_alpha(2)+nobody", "unknown voice 'nobody'"), ("jf_alpha((2)", "bad voice blend"),
    ("jf_alpha(0)+jm_kumo", "weights must be between 0.001 and 1000")])
def test_bad_voices_are_refused(http: httpx.Client, voice: str, message: str) -> None:
    response = submit(http, text="Hello.", model_id="kokoro", voice=voice)
    assert response.status_code == 400 and message in response.json()["detail"]


def test_kokoro_voice_matching_beats_the_best_preset(server: Server, http: httpx.Client,
                                                     beckett: dict) -> None:
    """A shortened search (16 voices) on Beckett's voice; bench/voice_match.py runs the full
    one. Then the profile is a Kokoro voice, and its jobs report their similarity."""
    response = submit(http, text="Hello.", model_id="kokoro", voice=beckett["voice"])
    assert response.status_code == 400 and "/match" in response.json()["detail"]
    response = http.post(f"/api/voices/{beckett['id']}/match", json={"max_evals": 16})
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["task"] == "voice_match" and job["model_id"] == "kokoro"
    done = server.wait_job(job["id"], timeout=400)
    assert done["status"] == "complete", done
    result = done["parameters"]["match_result"]
    assert result["evaluations"] == 16
    assert result["similarity"] > result["baseline_similarity"], result
    assert done["similarity"] is not None and done["audio_url"]
    profile = http.get(f"/api/voices/{beckett['id']}").json()
    assert profile["engine_voices"]["kokoro"]["similarity"] == result["similarity"]
    assert profile["engine_voices"]["kokoro"]["job_id"] == job["id"]

    spoken = finished(server, http, text="The river runs quietly past the old mill.",
                      model_id="kokoro", voice=beckett["voice"], verify=True)
    assert spoken["voice"] == beckett["voice"] and spoken["voice_profile_id"] == beckett["id"]
    assert 0.3 < spoken["similarity"] <= 1.0
    assert spoken["verify"]["wer"] <= 0.25 and spoken["verify"]["passed"] is True


def test_a_blend_speaks(server: Server, http: httpx.Client) -> None:
    job = finished(server, http, text="Good morning to you.", model_id="kokoro",
                   voice="jf_alpha(2) + jm_kumo(1)", format="wav")
    assert job["voice"] == "jf_alpha(2)+jm_kumo(1)"
    assert probe(http.get(job["audio_url"]).content)["duration"] > 0.5


def test_verify_records_every_try(server: Server, http: httpx.Client) -> None:
    job = finished(server, http, text="Zorblax quintrel vashmoor plindex.", model_id="piper",
                   verify={"max_wer": 0.0, "max_tries": 2})
    verify = job["verify"]
    assert (verify["max_wer"], verify["max_tries"]) == (0.0, 2)
    assert [t["attempt"] for t in verify["tries"]] == [1, 2]
    assert [t["seed"] for t in verify["tries"]] == [None, 1]
    assert all(t["wer"] > 0 and isinstance(t["transcript"], str) for t in verify["tries"])
    assert verify["passed"] is False and verify["wer"] == min(t["wer"] for t in verify["tries"])

    plain = finished(server, http, text="Hello there.", model_id="piper")
    assert plain["verify"] is None and plain["similarity"] is None
    response = submit(http, text="Hi.", verify={"max_tries": 11})
    assert response.status_code == 422


_SRT = re.compile(r"(\d+)\n(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})\n(.+)")


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def test_captions_parse_and_fit_the_audio(server: Server, http: httpx.Client) -> None:
    text = ("The sun rose over the quiet village. A farmer walked to his field with a dog. "
            "Birds sang loudly in the tall green trees.")
    job = finished(server, http, text=text, model_id="piper", format="mp3")
    duration = probe(http.get(job["audio_url"]).content)["duration"]

    srt = http.get(f"/api/tts/jobs/{job['id']}/captions", params={"format": "srt"})
    assert srt.status_code == 200 and srt.headers["content-type"].startswith(
        "application/x-subrip")
    blocks = srt.text.strip().split("\n\n")
    cues = [_SRT.fullmatch(block) for block in blocks]
    assert all(cues) and [int(c[1]) for c in cues if c] == list(range(1, len(blocks) + 1))
    spans = [(_seconds(*c.groups()[1:5]), _seconds(*c.groups()[5:9])) for c in cues if c]
    assert all(0 <= start <= end <= duration + 0.05 for start, end in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)
    assert " ".join(c[10] for c in cues if c) == text

    vtt = http.get(f"/api/tts/jobs/{job['id']}/captions", params={"format": "vtt"})
    assert vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text.startswith("WEBVTT\n\n") and vtt.text.count(" --> ") == len(blocks)
    assert re.search(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}", vtt.text)

    body = http.get(f"/api/tts/jobs/{job['id']}/captions", params={"format": "json"}).json()
    assert [w["word"] for w in body["words"]] == text.split()
    # Piper's VITS noise makes every take differ and whisper tiny hears 21-23 of these 24 words
    # (one take under load: 16); a broken alignment would match next to none
    assert sum(w["matched"] for w in body["words"]) >= 0.6 * len(body["words"])
    assert all(0 <= w["start"] <= w["end"] <= body["duration"] for w in body["words"])
    assert abs(body["duration"] - duration) < 0.1

    assert http.get(f"/api/tts/jobs/{job['id']}/captions",
                    params={"format": "ass"}).status_code == 422
    assert http.get(f"/api/tts/jobs/{'d' * 32}/captions").status_code == 404


def test_captions_of_an_unfinished_job_are_409(server: Server, http: httpx.Client) -> None:
    text = " ".join(f"Sentence number {i} is here to take a while." for i in range(30))
    job = submit(http, text=text, model_id="kokoro").json()
    response = http.get(f"/api/tts/jobs/{job['id']}/captions")
    assert response.status_code == 409 and "complete" in response.json()["detail"]
    http.delete(f"/api/tts/jobs/{job['id']}")
    server.wait_job(job["id"])
