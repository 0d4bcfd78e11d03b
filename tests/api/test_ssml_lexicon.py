"""SSML and the lexicon over HTTP: bad markup refused with its position, jobs that honour
the tags (and say what they ignored), and /api/lexicon managing entries the worker applies."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server
from tests.helpers import probe, transcribe, words

STEADY = {"noise_scale": 0.0, "noise_w_scale": 0.0}


def job_count(http: httpx.Client) -> int:
    return http.get("/api/tts/jobs", params={"page_size": 1}).json()["total"]


def run(server: Server, http: httpx.Client, **body: object) -> tuple[dict, bytes]:
    response = http.post("/api/tts/generate", json=body)
    assert response.status_code == 202, response.text
    job = server.wait_job(response.json()["id"])
    assert job["status"] == "complete", job
    return job, http.get(job["audio_url"]).content


@pytest.mark.parametrize(("text", "position"), [
    ("<speak>Hello <break time='1s'>", "line 1, column 31"),
    ("<speak>\n  Hi <prosody rate='zoom'>there</prosody>\n</speak>", "line 2, column 6"),
    ("<speak>Hi <say-as interpret-as='money'>5</say-as></speak>", "line 1, column 11"),
])
def test_malformed_ssml_is_a_400_with_its_position(http: httpx.Client, text: str,
                                                   position: str) -> None:
    before = job_count(http)
    response = http.post("/api/tts/generate", json={"text": text, "model_id": "piper"})
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(f"invalid SSML at {position}: ")
    openai = http.post("/v1/audio/speech", json={"model": "piper", "input": text,
                                                 "voice": "alloy"})
    assert openai.status_code == 400
    assert openai.json()["error"]["param"] == "input"
    assert position in openai.json()["error"]["message"]
    assert job_count(http) == before


def test_a_break_lengthens_the_job_and_nothing_is_warned(server: Server,
                                                         http: httpx.Client) -> None:
    plain, plain_audio = run(server, http, text="The cat sat down. The dog ran off.",
                             model_id="piper", params=STEADY)
    job, audio = run(server, http, model_id="piper", params=STEADY,
                     text='<speak>The cat sat down. <break time="1s"/> The dog ran off.</speak>')
    assert 0.8 <= probe(audio)["duration"] - probe(plain_audio)["duration"] <= 1.0
    assert job["warnings"] == [] and plain["warnings"] == []


def test_what_an_engine_cannot_honour_is_in_the_warnings(server: Server,
                                                         http: httpx.Client) -> None:
    text = ('<speak>Please open the <phoneme ph="dɔːr">window</phoneme> '
            "<emphasis>now</emphasis>.</speak>")
    response = http.post("/api/tts/generate", json={"text": text, "model_id": "espeak"})
    assert response.status_code == 202
    assert response.json()["warnings"] == [
        "<emphasis> is not supported: its text is spoken, the tag ignored",
        '<phoneme alphabet="ipa"> is not honoured by model \'espeak\' (it takes x-espeak '
        "phonemes): the written word was spoken"]
    job = server.wait_job(response.json()["id"])
    assert job["status"] == "complete" and len(job["warnings"]) == 2


@pytest.fixture
def entries(http: httpx.Client) -> Iterator[list[str]]:
    """Ids of entries a test made; deleted afterwards (the server is shared)."""
    made: list[str] = []
    yield made
    for entry_id in made:
        http.delete(f"/api/lexicon/{entry_id}")


def test_lexicon_crud(http: httpx.Client, entries: list[str]) -> None:
    created = http.post("/api/lexicon/", json={"word": "  SQL  ", "replacement": "sequel",
                                               "model_id": "piper"})
    assert created.status_code == 201, created.text
    entry = created.json()
    entries.append(entry["id"])
    assert (entry["word"], entry["replacement"], entry["phonemes"], entry["alphabet"],
            entry["model_id"]) == ("SQL", "sequel", None, "ipa", "piper")
    assert http.get(f"/api/lexicon/{entry['id']}").json() == entry
    assert entry["id"] in [e["id"] for e in http.get("/api/lexicon").json()["items"]]
    assert entry["id"] in [e["id"] for e in
                           http.get("/api/lexicon", params={"model_id": "piper"}).json()["items"]]
    assert entry["id"] not in [e["id"] for e in
                               http.get("/api/lexicon/", params={"model_id": "espeak"}).json()[
                                   "items"]]
    duplicate = http.post("/api/lexicon", json={"word": "sql", "replacement": "S Q L",
                                                "model_id": "piper"})
    assert duplicate.status_code == 409 and "already" in duplicate.json()["detail"]
    other = http.post("/api/lexicon", json={"word": "NoSQL", "replacement": "no sequel",
                                            "model_id": "piper"}).json()
    entries.append(other["id"])
    clash = http.put(f"/api/lexicon/{other['id']}", json={"word": "sql", "replacement": "x",
                                                           "model_id": "piper"})
    assert clash.status_code == 409 and "'sql' for model 'piper'" in clash.json()["detail"]
    changed = http.put(f"/api/lexicon/{entry['id']}",
                       json={"word": "SQL", "phonemes": "ˈsiːkwəl"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["replacement"], changed.json()["phonemes"],
            changed.json()["model_id"]) == (None, "ˈsiːkwəl", None)
    assert http.delete(f"/api/lexicon/{entry['id']}").status_code == 204
    assert http.get(f"/api/lexicon/{entry['id']}").status_code == 404
    assert http.delete(f"/api/lexicon/{entry['id']}").status_code == 404


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"word": "sql"}, 422, "give replacement, phonemes, or both"),
    ({"word": "  ", "replacement": "x"}, 422, "letter or digit"),
    ({"word": "<b>", "replacement": "x"}, 422, "none of < > & [ ]"),
    ({"word": "a", "replacement": "   "}, 422, "replacement: Value error, text is empty"),
    ({"word": "a", "phonemes": "[[x]]"}, 422, "phonemes: Value error, must not be blank or "
                                              "contain [ or ]"),
    ({"word": "a", "phonemes": "x", "alphabet": "sampa"}, 422, "ipa"),
    ({"word": "a", "replacement": "b", "model_id": "nope"}, 400, "valid models"),
    ({"word": "a" * 101, "replacement": "b"}, 422, "at most 100"),
    ({"word": "a", "replacement": "b", "extra": 1}, 422, "extra"),
])
def test_bad_lexicon_entries_are_refused(http: httpx.Client, body: dict, status: int,
                                         message: str) -> None:
    before = len(http.get("/api/lexicon").json()["items"])
    response = http.post("/api/lexicon", json=body)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert len(http.get("/api/lexicon").json()["items"]) == before
    assert http.get("/api/lexicon/not-an-id").status_code == 422


def test_the_worker_applies_the_lexicon(server: Server, http: httpx.Client,
                                        entries: list[str]) -> None:
    text = "Please open the wardrobe and let the fresh air in."
    _, before = run(server, http, text=text, model_id="piper", params=STEADY)
    assert "wardrobe" in words(transcribe(before))
    made = http.post("/api/lexicon", json={"word": "Wardrobe", "replacement": "door",
                                           "model_id": "piper"})
    entries.append(made.json()["id"])
    _, after = run(server, http, text=text, model_id="piper", params=STEADY)
    said = words(transcribe(after))
    assert "door" in said and "wardrobe" not in said


def test_captions_of_an_ssml_job_show_its_words_not_its_markup(server: Server,
                                                               http: httpx.Client) -> None:
    job, _ = run(server, http, model_id="piper", params=STEADY,
                 text='<speak><p>Please open the <sub alias="door">window</sub>.</p>'
                      '<break time="500ms"/><s>Let the fresh air in.</s></speak>')
    captions = http.get(f"/api/tts/jobs/{job['id']}/captions", params={"format": "json"})
    assert captions.status_code == 200, captions.text
    said = [word["word"] for word in captions.json()["words"]]
    assert said == ["Please", "open", "the", "door.", "Let", "the", "fresh", "air", "in."]
    assert all(word["matched"] for word in captions.json()["words"])
