"""`openspeakers worker` and `openspeakers run-distributed`: the Celery side of the CLI."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import click

from openspeakers.config import get_settings
from openspeakers.runtime import Runtime


@click.command()
@click.option("--queues", "-Q", default=None, help="Comma-separated queues, e.g. tts.kokoro")
@click.option("--group", default=None, help="A queue group of configs/models.yaml (same thing)")
@click.option("--loglevel", default=None, help="Celery log level (default LOG_LEVEL)")
def worker(queues: str | None, group: str | None, loglevel: str | None) -> None:
    """Run one Celery worker (prefork, concurrency 1) for one or more queues."""
    from openspeakers.db.session import migrate
    from openspeakers.engines.registry import load_registry
    from openspeakers.jobs.celery.app import make_celery
    from openspeakers.jobs.celery.worker import register, worker_name

    settings = get_settings()
    if not settings.celery_broker_url:
        raise click.ClickException("CELERY_BROKER_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    registry = load_registry(settings.models_config, Runtime(settings))
    names = [q for q in (queues or group or "").split(",") if q]
    unknown = set(names) - set(registry.groups)
    if not names or unknown:
        raise click.ClickException(f"choose queues among {', '.join(registry.groups)}")
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    migrate(settings.resolved_database_url, settings.database_wait_timeout)
    settings.ensure_dirs()
    app = make_celery(settings, registry)
    name = worker_name(settings, names)
    register(app, name, names)
    app.worker_main(["worker", "--queues", ",".join(names), "--concurrency", "1",
                     "--pool", "prefork", "--prefetch-multiplier", "1", "--hostname", name,
                     "--loglevel", (loglevel or settings.log_level).upper(),
                     "--without-gossip", "--without-mingle"])


def _pipe(prefix: str, stream: object, lock: threading.Lock) -> None:
    for line in iter(stream.readline, b""):  # type: ignore[attr-defined]
        with lock:
            sys.stdout.write(f"{prefix} | {line.decode(errors='replace')}")
            sys.stdout.flush()


@click.command("run-distributed")
def run_distributed() -> None:
    """Start the API and one worker per queue group that has an engine able to run here
    (CPU_WORKERS of them for CPU groups such as tts.cpu),
    against DATABASE_URL and CELERY_BROKER_URL; logs are prefixed by process."""
    from openspeakers.engines.availability import check_here
    from openspeakers.engines.registry import load_registry

    settings = get_settings()
    if not settings.celery_broker_url or not settings.database_url:
        raise click.ClickException("set CELERY_BROKER_URL (redis://...) and DATABASE_URL "
                                   "(postgresql+psycopg://...) first")
    registry = load_registry(settings.models_config, Runtime(settings))
    groups = [g for g, specs in registry.groups.items()
              if any(check_here(s, settings).available for s in specs)]
    skipped = sorted(set(registry.groups) - set(groups))
    if skipped:
        click.echo(f"no worker for {', '.join(skipped)}: none of their engines can run here "
                   "(see `openspeakers models`)")
    command = [sys.executable, "-m", "openspeakers.cli"]
    specs: list[tuple[str, list[str], dict[str, str]]] = [("api", [*command, "serve"], {})]
    for group in groups:
        # a CPU group gets CPU_WORKERS processes (one job each, ONNX_THREADS threads each), as
        # the local executor gets CPU_WORKERS threads; each needs a name of its own
        count = settings.cpu_workers if registry.is_parallel_group(group) else 1
        for index in range(count):
            name = f"{group}-{index + 1}" if count > 1 else group
            env = {"WORKER_NAME": f"{name}@{socket.gethostname()}"} if count > 1 else {}
            specs.append((name, [*command, "worker", "--queues", group], env))
    width = max(len(name) for name, _, _ in specs)
    lock = threading.Lock()

    def launch(name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE,  # noqa: S603 - our own CLI
                                   stderr=subprocess.STDOUT, env={**os.environ, **env})
        threading.Thread(target=_pipe, args=(name.ljust(width), process.stdout, lock),
                         daemon=True).start()
        return process

    processes = {name: launch(name, argv, env) for name, argv, env in specs}
    restarts = dict.fromkeys(processes, 0)
    try:
        while processes["api"].poll() is None:
            time.sleep(0.5)
            for name, argv, env in specs[1:]:
                code = processes[name].poll()
                if code is None:
                    continue
                # a worker that died (kill -9, out of memory) is started again, with backoff
                restarts[name] += 1
                delay = min(2.0 ** restarts[name], 60.0)
                click.echo(f"worker {name} exited with code {code}; starting it again in "
                           f"{delay:.0f} s", err=True)
                time.sleep(delay)
                processes[name] = launch(name, argv, env)
        click.echo("the API exited; stopping the workers", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
