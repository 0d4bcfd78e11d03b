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
    ({"text": "   "}, 422, "text is empty"),
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


# Reproducers of issue 15: each was a 500, or a 202 whose job then failed. ----------------------
def post_raw(http: httpx.Client, path: str, raw: str) -> httpx.Response:
    return http.post(path, content=raw.encode("utf-8", "surrogatepass"),
                     headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(("raw", "field"), [
    ('{"text": "hi", "speed": NaN}', "speed"),
    ('{"text": "hi", "pitch": Infinity}', "pitch"),
    ('{"text": "hi", "speed": 1e309}', "speed"),
    ('{"text": "hi", "keep_alive": -Infinity}', "keep_alive"),
    ('{"text": "hi", "verify": {"max_wer": NaN}}', "verify.max_wer"),
    ('{"text": "hi", "params": {"noise_scale": NaN}}', "params.noise_scale"),
    ('{"text": "hi \\ud800"}', "text"),
    ('{"text": "hi\\u0000there"}', "text"),
    ('{"text": "hi", "voice": "jo\\u0000e"}', "voice"),
    ('{"text": "hi", "model_id": "pip\\u0000er"}', "model_id"),
])
def test_non_finite_numbers_surrogates_and_nul_are_422(http: httpx.Client, raw: str,
                                                      field: str) -> None:
    before = job_count(http)
    response = post_raw(http, "/api/tts/generate", raw)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"].startswith(f"{field}: "), body
    assert body["errors"][0]["loc"] == ["body", *field.split(".")]
    assert job_count(http) == before


@pytest.mark.parametrize("raw", ['{"model": "piper", "input": "hi", "speed": NaN}',
                                 '{"model": "piper", "input": "hi \\udfff"}',
                                 '{"model": "pip\\u0000er", "input": "hi"}'])
def test_v1_answers_the_same_inputs_with_openai_400s(http: httpx.Client, raw: str) -> None:
    response = post_raw(http, "/v1/audio/speech", raw)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] in ("speed", "input",
                                                                          "model")
    assert error["param"] in error["message"]


@pytest.mark.parametrize("params", [{"search": "a\x00b"}, {"model_id": "\x00"},
                                    {"page": "99999999999999999999"}, {"page": "1000001"}])
def test_listing_refuses_nul_and_huge_pages(http: httpx.Client, params: dict) -> None:
    response = http.get("/api/tts/jobs", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_kokoro_blend_weights_are_bounded_and_the_stored_form_parses_back(
        server: Server, http: httpx.Client) -> None:
    tiny = http.post("/api/tts/generate", json={
        "text": "hi", "model_id": "kokoro", "voice": "jf_alpha(0.00001)+jm_kumo(1)"})
    assert tiny.status_code == 400 and "between 0.001 and 1000" in tiny.json()["detail"]
    job = http.post("/api/tts/generate", json={
        "text": "A small blend.", "model_id": "kokoro", "voice": "jf_alpha(1e-3)+jm_kumo(1)"})
    assert job.status_code == 202, job.text
    assert job.json()["voice"] == "jf_alpha(0.001)+jm_kumo(1)"
    done = server.wait_job(job.json()["id"])
    assert done["status"] == "complete", done["error"]


@pytest.mark.parametrize(("params", "message"), [
    ({"temperature": 0.5}, "model 'piper' has no parameter 'temperature'; its parameters: "
                           "noise_scale, noise_w_scale"),
    ({"noise_scale": "loud"}, "parameter 'noise_scale' must be a number from 0 to 2, "
                              "not 'loud'"),
    ({"noise_scale": 7}, "parameter 'noise_scale' must be a number from 0 to 2, not 7"),
    ({"noise_scale": True}, "must be a number"),
])
def test_params_are_checked_against_the_engines_declared_parameters(
        http: httpx.Client, params: dict, message: str) -> None:
    before = job_count(http)
    response = http.post("/api/tts/generate", json={"text": "hi", "model_id": "piper",
                                                    "params": params})
    assert response.status_code == 400 and message in response.json()["detail"], response.text
    assert job_count(http) == before


def test_declared_params_are_accepted_and_reach_the_job(server: Server,
                                                        http: httpx.Client) -> None:
    job = http.post("/api/tts/generate", json={"text": "Quiet please.", "model_id": "piper",
                                               "params": {"noise_scale": 0.3}}).json()
    assert job["parameters"]["engine"]["noise_scale"] == 0.3
    assert server.wait_job(job["id"])["status"] == "complete"


def test_timestamps_are_utc_with_z_on_every_read(server: Server, http: httpx.Client) -> None:
    job = http.post("/api/tts/generate", json={"text": "Time.", "model_id": "espeak"}).json()
    server.wait_job(job["id"])
    for read in (http.get(f"/api/tts/jobs/{job['id']}").json(),
                 http.get("/api/tts/jobs", params={"page_size": 1}).json()["items"][0]):
        for field in ("queued_at", "started_at", "finished_at"):
            assert read[field].endswith("Z"), (field, read[field])


def test_method_not_allowed_names_every_method_of_the_path(http: httpx.Client) -> None:
    response = http.put("/api/voices")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert http.put(f"/api/tts/jobs/{'a' * 32}").headers["allow"] == "DELETE, GET"


def test_size_limits_are_413(http: httpx.Client) -> None:
    big = http.post("/api/tts/generate", content=b'{"text": "' + b"a" * (1024 * 1024) + b'"}',
                    headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and "MAX_BODY_BYTES" in big.json()["detail"]
    params = http.post("/api/tts/generate", json={"text": "hi", "model_id": "parler",
                                                  "params": {"description": "x" * 5000}})
    assert params.status_code in (413, 503), params.text  # parler is unavailable without GPU
    fat = http.post("/api/tts/generate", json={"text": "hi", "params": {
        "noise_scale": 0.5, "x" * 5000: 1}})
    assert fat.status_code == 413 and "MAX_PARAMS_BYTES" in fat.json()["detail"]
    lines = ["word " * 500] * 50  # 50 lines of 2,500 characters: past MAX_BATCH_CHARS
    batch = http.post("/api/tts/batch", json={"lines": lines})
    assert batch.status_code == 413 and "MAX_BATCH_CHARS" in batch.json()["detail"]


def test_the_schema_documents_errors_and_limits(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    generate = schema["paths"]["/api/tts/generate"]["post"]["responses"]
    assert {"400", "401", "404", "409", "413", "422", "429", "503"} <= set(generate)
    assert "Retry-After" in generate["429"]["headers"]
    speech = schema["paths"]["/v1/audio/speech"]["post"]["responses"]
    assert "422" not in speech and "OpenAIErrorOut" in str(speech["400"])
    text = schema["components"]["schemas"]["GenerateIn"]["properties"]["text"]
    assert text["minLength"] == 1 and text["maxLength"] == 3000
    assert schema["components"]["schemas"]["SpeechIn"]["properties"]["model"]["minLength"] == 1
