"""The OpenAPI schema is the truth: a property-based run (schemathesis, every check) over the
whole schema against a real server, on SQLite and on PostgreSQL. No server error except the
documented 503 of engines that cannot run here, no answer that the schema does not describe.

Fixed seed and a bounded number of examples per operation keep it reproducible and short;
tests/api/schemathesis.toml says which expectations are adjusted and why.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_server, postgres_database

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 1
EXAMPLES = 5
# Short texts and batches: the run submits hundreds of jobs, and their audio is not the point.
LIMITS = {"MAX_TEXT_CHARS": "200", "OPENAI_MAX_INPUT_CHARS": "200", "MAX_BATCH_LINES": "3",
          "PRELOAD_STANDBY": "false", "CPU_WORKERS": "2"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {}
    else:
        with postgres_database() as url:
            yield {"DATABASE_URL": url}


def test_every_operation_answers_as_the_schema_says(tmp_path: Path,
                                                    database_env: dict[str, str]) -> None:
    server = make_server(tmp_path / "server", **LIMITS, **database_env).start()
    report = tmp_path / "report.json"
    try:
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
             f"{server.url}/openapi.json", "--checks", "all", "--seed", str(SEED),
             "--max-examples", str(EXAMPLES), "--generation-allow-x00", "false",
             "--generation-database", "none",  # the same cases on every machine
             # one worker: hypothesis's lambda descriptions are not thread-safe
             "--workers", "1", "--request-timeout", "90", "--no-color",
             "--report", "json", "--report-json-path", str(report)],
            capture_output=True, text=True, timeout=1200, check=False)
    finally:
        server.kill_all()
    summary = run.stdout[run.stdout.find("SUMMARY"):] if "SUMMARY" in run.stdout else run.stdout
    assert run.returncode == 0, f"{run.stdout[-12000:]}\n{run.stderr[-3000:]}"
    assert "generated" in summary, summary
    if report.exists():
        data = json.loads(report.read_text())
        print(json.dumps(data.get("summary", data), indent=1)[:2000])
    print(summary)
