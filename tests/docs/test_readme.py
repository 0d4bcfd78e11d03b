"""The README runs as written: its `sh` and `python` blocks, pasted in order into one shell
session (variables carry over) in a fresh directory, against a real server on a port that is
not 8080 (BACKEND_PORT), with the server's environment, as the README tells a user to.

Blocks fenced `shell` start servers or need other machines (`make run`, Celery, Wyoming) and
are not run; each is preceded by a comment saying so. Every HTTP answer the examples got must
be a success (the server's access log says), and the files they wrote must be real audio.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

from tests.audio_files import beckett_wav
from tests.conftest import make_server
from tests.helpers import probe, transcribe

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
ACCESS = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) HTTP/[\d.]+" (\d{3})')


def readme_blocks() -> list[tuple[str, int, str]]:
    """(language, line, code) of every fenced block, in order."""
    text = (REPO / "README.md").read_text()
    return [(m.group(1), text.count("\n", 0, m.start()) + 1, m.group(2))
            for m in BLOCK.finditer(text)]


def test_every_runnable_block_is_marked() -> None:
    """Blocks that are not run say why, in a comment just above them."""
    text = (REPO / "README.md").read_text().splitlines()
    for language, line, _ in readme_blocks():
        if language == "shell":
            assert "not run by tests/docs/test_readme.py" in text[line - 2], line
        assert language in ("sh", "python", "shell", ""), f"line {line}: unknown '{language}'"


def session_script(work: Path) -> tuple[str, int]:
    """One bash script of the runnable blocks; python blocks run from files with the venv's
    Python, as the README says."""
    lines = ["set -eo pipefail"]
    count = 0
    for language, line, code in readme_blocks():
        if language not in ("sh", "python"):
            continue
        count += 1
        lines.append(f"echo '### README.md line {line}' >&2")
        if language == "python":
            script = work / f"readme_{line}.py"
            script.write_text(code)
            lines.append(f".venv/bin/python {script.name}")
        else:
            lines.append(code)
    return "\n".join(lines) + "\n", count


def test_readme_examples_run_against_a_real_server(tmp_path: Path) -> None:
    server = make_server(tmp_path / "server").start()
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    (work / "ada.wav").write_bytes(beckett_wav())  # the README's "a recording of your own"
    script, count = session_script(work)
    assert count >= 8, "the README's examples were found"
    env = {**server.env, "BACKEND_PORT": str(server.port)}
    assert server.port != 8080
    try:
        result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                                text=True, timeout=1500, check=False)
    finally:
        server.kill_all()
    log = (tmp_path / "server" / "server.log").read_text()
    assert result.returncode == 0, (
        f"a README block failed:\n{result.stderr[-4000:]}\n--- stdout ---\n"
        f"{result.stdout[-2000:]}")

    answers = ACCESS.findall(log)
    assert len(answers) >= 30, "the examples reached the server"
    failed = [a for a in answers if int(a[2]) >= 400]
    assert not failed, f"requests the README makes that fail: {failed}"
    paths = {path.split("?")[0] for _, path, _ in answers}
    assert {"/api/tts/history/delete", "/v1/audio/speech", "/api/system/limits"} <= paths

    hello = (work / "hello.mp3").read_bytes()
    assert probe(hello)["codec"] == "mp3"
    heard = re.sub(r"[^a-z]", "", transcribe(hello).lower())  # "Open Speakers" is right too
    assert heard == "hellofromopenspeakers", heard
    assert probe((work / "hello-openai.mp3").read_bytes())["codec"] == "mp3"
    assert probe((work / "hello.opus").read_bytes())["codec"] == "opus"
    with zipfile.ZipFile(io.BytesIO((work / "batch.zip").read_bytes())) as archive:
        names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".wav") for n in names)
    assert "speech.audio.done" in result.stdout, "the SSE example streamed to its end"
    assert os.environ.get("BACKEND_PORT") != str(server.port)  # nothing leaked into this process
