"""The concurrency benchmark runs (tiny settings, no PyPI peers): a table with every column."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NAME = "test-concurrency"


def test_the_concurrency_benchmark_writes_its_table() -> None:
    results = REPO / "bench" / "results"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.concurrency", "--peers", "--raw", "1x1", "--rounds",
             "1", "--requests", "2", "--clients", "2", "--cold-starts", "1", "--name", NAME],
            cwd=REPO, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        rows = {row["server"]: row for row in json.loads((results / f"{NAME}.json").read_text())}
        assert set(rows) == {"raw engine (1 workers x 1 threads)", "OpenSpeakers"}
        for row in rows.values():
            assert 0 < row["ready"] < row["first_audio"]
            assert row["rss_mb"] > 50  # a Python process with a Piper voice loaded
            assert 0 < row["paragraph_ttfa"] < row["paragraph"]
            assert row["rps_2"] > 0 and row["p95_2"] > 0
            assert len(row["meta"]["loadavg_before"]) == 3
        table = (results / f"{NAME}.md").read_text()
        assert "| OpenSpeakers |" in table and "Load average" in table
    finally:
        for suffix in ("json", "md"):
            (results / f"{NAME}.{suffix}").unlink(missing_ok=True)
