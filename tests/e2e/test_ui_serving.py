"""The API serves the web UI's build at `/` without shadowing the API, the docs or WebSockets.

The browser tests of the UI itself are in frontend/e2e (node's test runner, run by make test).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openspeakers.api import app as app_module
from openspeakers.config import Settings


@pytest.fixture
def ui_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ui = tmp_path / "static"
    monkeypatch.setattr(app_module, "UI_DIR", ui)
    return ui


def client(settings: Settings) -> TestClient:
    # no lifespan: these routes need no workers
    return TestClient(app_module.create_app(settings))


def test_without_a_build_root_says_how_to_build(settings: Settings, ui_dir: Path) -> None:
    http = client(settings)
    response = http.get("/")
    assert response.status_code == 200
    assert "has not been built" in response.text and "make run" in response.text
    assert http.get("/history").status_code == 404
    assert http.get("/openapi.json").status_code == 200


def test_serves_the_build_with_spa_fallback(settings: Settings, ui_dir: Path) -> None:
    (ui_dir / "_app" / "immutable").mkdir(parents=True)
    (ui_dir / "index.html").write_text("<!doctype html><title>ui</title>")
    (ui_dir / "_app" / "immutable" / "start.js").write_text("export {}")
    (ui_dir.parent / "secret.txt").write_text("outside the UI directory")
    http = client(settings)

    for path in ("/", "/history", "/voices/", "/models/anything/deeper"):
        response = http.get(path)
        assert response.status_code == 200, path
        assert response.text == "<!doctype html><title>ui</title>", path
    assert http.head("/").status_code == 200
    asset = http.get("/_app/immutable/start.js")
    assert asset.status_code == 200 and asset.text == "export {}"
    assert "javascript" in asset.headers["content-type"]
    assert http.get("/_app/immutable/missing.js").status_code == 404
    assert http.get("/../secret.txt").status_code == 404
    assert http.get("/%2e%2e/secret.txt").status_code == 404


def test_the_api_docs_and_websockets_are_never_shadowed(settings: Settings,
                                                         ui_dir: Path) -> None:
    ui_dir.mkdir()
    (ui_dir / "index.html").write_text("ui")
    http = client(settings)
    for path in ("/api/nope", "/api", "/v1/nope", "/ws/nope", "/docs/nope", "/redoc/x"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json", path  # the API's 404
    assert http.get("/openapi.json").json()["info"]["title"] == "OpenSpeakers"
    assert "swagger" in http.get("/docs").text.lower()
    assert http.post("/api/tts/jobs").status_code == 405  # a wrong method stays a wrong method
    assert http.post("/history").status_code == 404
