"""The same server on PostgreSQL: migrations, jobs, search, batches and crash recovery.

Needs the PostgreSQL server (127.0.0.1:5432); skips without it, fails with CI=true.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.api.test_restart import kill_mid_job
from tests.conftest import Server, make_server
from tests.helpers import probe, transcribe, word_error_rate

pytestmark = pytest.mark.postgres


def _alembic_config() -> Config:
    from openspeakers.db.session import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@pytest.fixture
def pg_server(tmp_path: Path, postgres_url: str) -> Iterator[Server]:
    server = make_server(tmp_path, DATABASE_URL=postgres_url).start()
    yield server
    server.kill()


def test_schema_is_migrated(pg_server: Server, postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert {"tts_jobs", "voice_profiles", "alembic_version"} <= tables
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert version == head
    with pg_server.client() as http:
        assert http.get("/api/system/health").json()["database"] == "postgresql"


def test_generate_search_and_batch(pg_server: Server) -> None:
    text = "Postgres keeps the history of every job."
    with pg_server.client() as http:
        job = http.post("/api/tts/generate", json={"text": text, "format": "flac"}).json()
        job = pg_server.wait_job(job["id"])
        assert job["status"] == "complete"
        data = http.get(job["audio_url"]).content
        assert probe(data)["codec"] == "flac"
        assert word_error_rate(text, transcribe(data)) <= 0.2

        found = http.get("/api/tts/jobs", params={"search": "HISTORY of"}).json()
        assert [j["id"] for j in found["items"]] == [job["id"]], "search is case-insensitive"

        batch = http.post("/api/tts/batch", json={"lines": ["Alpha.", "Beta."],
                                                  "model_id": "espeak"}).json()
        for job_id in batch["job_ids"]:
            assert pg_server.wait_job(job_id)["status"] == "complete"
        archive = http.get(f"/api/tts/batches/{batch['batch_id']}/zip")
        with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
            assert len(zipped.namelist()) == 2


def test_crash_recovery_on_postgres(pg_server: Server) -> None:
    _, job_id, _ = kill_mid_job(pg_server)
    pg_server.start()
    job = pg_server.wait_job(job_id, timeout=180)
    assert job["status"] == "complete" and job["attempts"] == 2
