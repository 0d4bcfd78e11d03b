"""Build the images with podman, bring the compose stack up, and check it from outside as a
user would. `make test-containers` runs it (and .ci/run runs that); it prints PASS/FAIL lines
and exits non-zero when a check fails.

Steps: podman set-up (scripts/containers/podman_setup.sh); hadolint and `docker-compose
config`; build the API, CPU-worker and Kokoro-worker images and the test stand-ins for
postgres/redis; `docker-compose up` (compose.yaml + tests/containers/compose.test.yaml) against
`podman system service`; then: health, the web UI, a job through /api/tts/generate and one
through /v1/audio/speech (decoded and transcribed), a worker killed mid-job, `down` + `up`
keeping history and audio; finally a GPU group's image (tts.dia, CPU torch) runs its tiny-model
test inside the container.

Podman runs a container's HEALTHCHECK from systemd timers, and this machine kind has no
systemd: a thread here runs `podman healthcheck run` for the project's containers every two
seconds instead, so `depends_on: condition: service_healthy` works as under Docker.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.helpers import probe, transcribe, word_error_rate  # noqa: E402

PROJECT = "openspeakers-ci"
TAG = "ci"
GPU_GROUP = "tts.dia"
GPU_TEST = "tests/engines/test_tiny_dia.py"
COMPOSE = ["docker-compose", "-p", PROJECT, "-f", str(ROOT / "compose.yaml"),
           "-f", str(ROOT / "tests/containers/compose.test.yaml")]
# A quick part of tests/unit, to show the README's "tests inside the backend container" works
# (the whole of tests/unit takes minutes on two cores).
IN_CONTAINER_TESTS = ["tests/unit/test_registry.py", "tests/unit/test_text.py"]
TEXT = "The quick brown fox jumps over the lazy dog."
LONG_TEXT = " ".join(f"This is sentence number {n} of a long job that a worker is reading."
                     for n in range(1, 16))

failures: list[str] = []
timings: dict[str, float] = {}


def log(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def check(name: str, ok: bool, detail: str = "") -> bool:
    print(f"{'PASS' if ok else 'FAIL'}: {name}{f' ({detail})' if detail else ''}", flush=True)
    if not ok:
        failures.append(name)
    return ok


def sh(*cmd: str, env: dict[str, str] | None = None, check_rc: bool = True,
       capture: bool = False, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
    log("+ " + " ".join(cmd))
    return subprocess.run(cmd, check=check_rc, env=env, text=True, timeout=timeout,  # noqa: S603
                          capture_output=capture, cwd=ROOT)


def timed(name: str, fn: Callable[[], object]) -> object:
    started = time.monotonic()
    result = fn()
    timings[name] = time.monotonic() - started
    log(f"{name}: {timings[name]:.0f}s")
    return result


def build(tag: str, target: str, *args: str) -> None:
    timed(f"build {tag}", lambda: sh("bash", "scripts/containers/build.sh", tag, target, *args))


def image_mb(tag: str) -> int:
    out = sh("podman", "image", "inspect", "--format", "{{.Size}}", tag, capture=True).stdout
    return int(out.strip()) // 1_000_000


@contextmanager
def podman_service() -> Iterator[dict[str, str]]:
    """`podman system service` on a socket of our own; DOCKER_HOST for docker-compose."""
    sock = Path(tempfile.mkdtemp(prefix="podman-sock-")) / "podman.sock"
    service = subprocess.Popen(["podman", "system", "service", "--time=0",  # noqa: S607
                                f"unix://{sock}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        yield {"DOCKER_HOST": f"unix://{sock}"}
    finally:
        service.terminate()
        service.wait(30)
        shutil.rmtree(sock.parent, ignore_errors=True)


@contextmanager
def health_ticker() -> Iterator[None]:
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(2):
            ids = subprocess.run(["podman", "ps", "-q", "--filter",  # noqa: S607
                                  f"label=com.docker.compose.project={PROJECT}"],
                                 capture_output=True, text=True).stdout.split()
            for cid in ids:
                subprocess.run(["podman", "healthcheck", "run", cid],  # noqa: S607
                               capture_output=True)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(30)


class Stack:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env = env
        self.url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def compose(self, *args: str, capture: bool = False,
                check_rc: bool = True) -> subprocess.CompletedProcess[str]:
        return sh(*COMPOSE, *args, env=self.env, capture=capture, check_rc=check_rc)

    def container(self, service: str) -> str:
        return self.compose("ps", "-q", service, capture=True).stdout.strip()

    def wait_healthy(self, timeout: float = 300) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.http.get("/api/system/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(1)
        return False

    def wait_job(self, job_id: str, timeout: float = 300,
                 until: tuple[str, ...] = ("complete", "failed", "cancelled")) -> dict:
        deadline = time.monotonic() + timeout
        job: dict = {}
        while time.monotonic() < deadline:
            job = self.http.get(f"/api/tts/jobs/{job_id}").json()
            if job["status"] in until:
                return job
            time.sleep(0.5)
        return job

    def model_state(self, model_id: str, timeout: float = 5) -> dict:
        """The models page's state of `model_id` once it shows the model loaded (or after
        `timeout`): the API reads the workers' reports through a cache of STATE_CACHE_SECONDS."""
        deadline = time.monotonic() + timeout
        while True:
            models = {m["id"]: m for m in self.http.get("/api/models").json()}
            state: dict = models.get(model_id, {}).get("state", {})
            if state.get("loaded") or time.monotonic() > deadline:
                return state
            time.sleep(0.5)

    def submit(self, model_id: str, text: str, fmt: str = "wav") -> str:
        response = self.http.post("/api/tts/generate",
                                  json={"model_id": model_id, "text": text, "format": fmt})
        response.raise_for_status()
        return str(response.json()["id"])


def heard(data: bytes, text: str) -> tuple[bool, str]:
    info = probe(data)
    transcript = transcribe(data)
    wer = word_error_rate(text, transcript)
    return (info["duration"] > 1 and wer <= 0.25,
            f"{info['codec']} {info['duration']:.1f}s, WER {wer:.2f}: {transcript!r}")


def run_stack_checks(stack: Stack) -> None:
    started = time.monotonic()
    stack.compose("up", "-d", "--no-build")
    healthy = stack.wait_healthy()
    timings["stack up to health 200"] = time.monotonic() - started
    if not check("health 200 from outside", healthy,
                 f"{timings['stack up to health 200']:.0f}s after `up`"):
        return
    migrate = stack.compose("exec", "-T", "backend", "openspeakers", "migrate", capture=True,
                            check_rc=False)
    check("`openspeakers migrate` inside the backend container",
          migrate.returncode == 0 and "is up to date" in migrate.stdout, migrate.stdout.strip())
    tests = stack.compose("exec", "-T", "backend", "python", "-m", "pytest", "-q",
                          "-p", "no:cacheprovider", *IN_CONTAINER_TESTS, capture=True,
                          check_rc=False)
    check("pytest inside the backend container", tests.returncode == 0,
          (tests.stdout.strip().splitlines() or ["no output"])[-1])
    page = stack.http.get("/")
    check("web UI served at /", page.status_code == 200 and "<html" in page.text.lower()
          and "script" in page.text, f"HTTP {page.status_code}, {len(page.text)} bytes")
    spa = stack.http.get("/history")
    check("UI route /history served (SPA fallback)", spa.status_code == 200
          and "<html" in spa.text.lower(), f"HTTP {spa.status_code}")

    # A job through /api/tts/generate, run by the CPU worker container.
    job_id = stack.submit("piper", TEXT)
    job = stack.wait_job(job_id)
    timings["stack up to first audio"] = time.monotonic() - started
    audio = stack.http.get(f"/api/tts/jobs/{job_id}/audio")
    ok, detail = heard(audio.content, TEXT) if job["status"] == "complete" else (False, str(job))
    check("/api/tts/generate (piper, worker-cpu): audio decodes, transcript matches", ok,
          f"{detail}; first audio {timings['stack up to first audio']:.0f}s after `up`")
    first_audio = hashlib.sha256(audio.content).hexdigest()

    # /v1/audio/speech: tts-1 -> Kokoro, run by the Kokoro worker container.
    speech = stack.http.post("/v1/audio/speech", json={
        "model": "tts-1", "input": TEXT, "voice": "alloy", "response_format": "wav"},
        timeout=300)
    ok, detail = heard(speech.content, TEXT) if speech.status_code == 200 else (
        False, f"HTTP {speech.status_code}: {speech.text[:200]}")
    check("/v1/audio/speech (tts-1, worker-kokoro): audio decodes, transcript matches", ok,
          detail)
    state = stack.model_state("kokoro")
    check("the models page shows kokoro loaded in a worker (the API loads no model)",
          state.get("loaded") is True and state.get("workers_loaded", 0) >= 1, str(state))

    # A worker container killed mid-job: the job completes (re-queued) or fails with a reason.
    long_id = stack.submit("kokoro", LONG_TEXT)
    running = stack.wait_job(long_id, timeout=120, until=("running", "complete", "failed"))
    worker = stack.container("worker-kokoro")
    if check("long job running in worker-kokoro before the kill", running["status"] == "running",
             running["status"]):
        sh("podman", "kill", worker)
        killed_at = time.monotonic()
        stack.compose("start", "worker-kokoro")
        final = stack.wait_job(long_id, timeout=900)
        reasoned = final["status"] == "complete" or (
            final["status"] == "failed" and bool(final.get("error")))
        check("worker killed mid-job: job completes or fails with a reason, not stuck", reasoned,
              f"{final['status']} after {time.monotonic() - killed_at:.0f}s, attempts "
              f"{final.get('attempts')}, error {final.get('error')!r}")
        stuck = [j["id"] for j in stack.http.get("/api/tts/jobs",
                                                 params={"status": "running"}).json()["items"]]
        check("no job left running", not stuck, str(stuck))

    # down, then up: history and audio survive in the volumes.
    stack.compose("down")
    restarted = time.monotonic()
    stack.compose("up", "-d", "--no-build")
    if not check("health 200 after down + up", stack.wait_healthy(),
                 f"{time.monotonic() - restarted:.0f}s"):
        return
    history = stack.http.get("/api/tts/jobs", params={"page_size": 100}).json()["items"]
    ids = {j["id"] for j in history}
    check("history survives down + up", {job_id, long_id} <= ids, f"{len(ids)} jobs listed")
    again = stack.http.get(f"/api/tts/jobs/{job_id}/audio")
    check("audio survives down + up (same bytes)",
          again.status_code == 200 and hashlib.sha256(again.content).hexdigest() == first_audio,
          f"HTTP {again.status_code}, {len(again.content)} bytes")
    after = stack.submit("piper", TEXT)
    ok, detail = (heard(stack.http.get(f"/api/tts/jobs/{after}/audio").content, TEXT)
                  if stack.wait_job(after)["status"] == "complete" else (False, "not complete"))
    check("a new job after down + up", ok, detail)


def gpu_group_image() -> None:
    tag = f"openspeakers-worker-dia:{TAG}"
    build(tag, "worker", "--build-arg", f"GROUP={GPU_GROUP}", "--build-arg", "WITH_TEST=1")
    result = timed(f"{GPU_TEST} in {tag}", lambda: sh(
        "podman", "run", "--rm", "--network", "none", "-e", "ENGINE_TESTS_REQUIRED=1", tag,
        "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", GPU_TEST, check_rc=False))
    check(f"{GPU_GROUP} image (CPU torch build arg): tiny-model test inside the container",
          result.returncode == 0, f"{image_mb(tag)} MB")  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-gpu-image", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the stack and volumes up")
    args = parser.parse_args()
    overall = time.monotonic()
    timed("podman set-up", lambda: sh("bash", "scripts/containers/podman_setup.sh"))
    lint = sh(str(Path(sys.executable).parent / "hadolint"), "Dockerfile",
              "tests/containers/standins/postgres.Containerfile",
              "tests/containers/standins/redis.Containerfile", check_rc=False)
    check("hadolint: Dockerfile and stand-ins", lint.returncode == 0)
    for profile in ([], ["--profile", "gpu"]):
        valid = sh("docker-compose", *profile, "-f", "compose.yaml", "config", "-q",
                   check_rc=False)
        check(f"compose.yaml validates {' '.join(profile)}".strip(), valid.returncode == 0)

    for name in ("postgres", "redis"):
        tag = {"postgres": "postgres:15-bookworm", "redis": "redis:7.0-bookworm"}[name]
        timed(f"build stand-in {tag}", lambda name=name, tag=tag: sh(  # type: ignore[misc]
            "podman", "build", "-q", "--format", "docker", "--network", "host",
            "-t", f"docker.io/library/{tag}",
            "-f", f"tests/containers/standins/{name}.Containerfile", "tests/containers/standins"))
    build(f"openspeakers-api:{TAG}", "api", "--build-arg", "WITH_TEST=1")  # as compose.yaml
    build(f"openspeakers-worker-cpu:{TAG}", "worker", "--build-arg", "GROUP=tts.cpu",
          "--build-arg", "WITH_TEST=1")
    build(f"openspeakers-worker-kokoro:{TAG}", "worker", "--build-arg", "GROUP=tts.kokoro")
    for tag in ("api", "worker-cpu", "worker-kokoro"):
        log(f"image openspeakers-{tag}:{TAG}: {image_mb(f'openspeakers-{tag}:{TAG}')} MB")

    from tests.conftest import free_port

    port = free_port()
    with podman_service() as docker_env, health_ticker():
        env = {**os.environ, **docker_env, "OPENSPEAKERS_TAG": TAG, "BACKEND_PORT": str(port),
               "WYOMING_PORT": str(free_port()), "HEARTBEAT_TIMEOUT": "10"}
        stack = Stack(env, port)
        stack.compose("down", "-v", check_rc=False)  # leftovers of an interrupted run
        try:
            run_stack_checks(stack)
        except Exception as exc:  # noqa: BLE001 - reported as a failure with the logs below
            check("stack checks ran to the end", False, repr(exc))
        finally:
            if failures:
                stack.compose("logs", "--tail", "80", check_rc=False)
            if not args.keep:
                stack.compose("down", "-v", check_rc=False)
    if not args.skip_gpu_image:
        gpu_group_image()
    timings["whole stage"] = time.monotonic() - overall
    for name, seconds in timings.items():
        log(f"time {name}: {seconds:.0f}s")
    passed = "all checks passed" if not failures else f"FAILED: {', '.join(failures)}"
    print(f"containers: {passed}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
