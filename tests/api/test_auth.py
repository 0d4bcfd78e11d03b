"""API keys: off by default (open server); once one exists, /api, /v1 and /ws need it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import openai
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.conftest import Server, make_server


def keys(server: Server, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "openspeakers.cli", "keys", *args],
                            env=server.env, capture_output=True, text=True, timeout=60,
                            check=True)
    return result.stdout.strip()


def test_keys_turn_authentication_on_and_off(tmp_path: Path) -> None:
    server = make_server(tmp_path).start()
    try:
        assert httpx.get(f"{server.url}/api/tts/jobs").status_code == 200, "open by default"
        key = keys(server, "create", "--name", "tests")
        assert key.startswith("osk-")
        assert key not in (tmp_path / "data" / "openspeakers.db").read_bytes().decode(
            "latin-1"), "only the hash is stored"

        denied = httpx.get(f"{server.url}/api/tts/jobs")
        assert denied.status_code == 401 and "API key" in denied.json()["detail"]
        wrong = httpx.post(f"{server.url}/v1/audio/speech", headers={
            "Authorization": "Bearer osk-wrong"}, json={"model": "piper", "input": "hi"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["type"] == "authentication_error"
        assert httpx.get(f"{server.url}/api/system/health").status_code == 200

        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{server.url}/v1", api_key="osk-wrong",
                          max_retries=0).audio.speech.create(model="piper", voice="alloy",
                                                             input="hi")
        good = openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0)
        assert len(good.audio.speech.create(model="piper", voice="alloy",
                                            input="Allowed.").content) > 1000

        ws = server.url.replace("http://", "ws://") + "/ws/gpu"
        with pytest.raises(InvalidStatus):
            connect(ws, open_timeout=10)
        with connect(f"{ws}?api_key={key}", open_timeout=10) as socket:
            assert '"available"' in socket.recv(timeout=5)

        key_id = keys(server, "list").split()[0]
        assert keys(server, "revoke", key_id) == f"revoked {key_id}"
        assert httpx.get(f"{server.url}/api/tts/jobs").status_code == 200, "open again"
    finally:
        server.kill()
