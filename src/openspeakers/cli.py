"""`openspeakers serve | say | models | migrate | keys | wyoming` (jobs, voices, cache:
cli_manage; text: text/cli.py)."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import click

from openspeakers.cli_manage import cache, jobs, voices
from openspeakers.config import get_settings
from openspeakers.distributed import run_distributed, worker
from openspeakers.runtime import Runtime
from openspeakers.text.cli import text


@click.group()
def main() -> None:
    """OpenSpeakers: a self-hosted text-to-speech server."""


@main.command()
@click.option("--host", default=None, help="Interface to bind (default BACKEND_HOST)")
@click.option("--port", type=int, default=None, help="Port (default BACKEND_PORT, 8080)")
@click.option("--wyoming-uri", default=None, metavar="URI",
              help="Also serve the Wyoming protocol (Home Assistant) on this URI, e.g. "
                   "tcp://0.0.0.0:10200 (default WYOMING_URI; unset = off)")
def serve(host: str | None, port: int | None, wyoming_uri: str | None) -> None:
    """Start the API server with the local executor."""
    import uvicorn

    from openspeakers.api.app import create_app

    settings = get_settings()
    if wyoming_uri:
        settings = settings.model_copy(update={"wyoming_uri": wyoming_uri})
    from openspeakers.api.redaction import uvicorn_log_config

    uvicorn.run(create_app(settings), host=host or settings.backend_host,
                port=port or settings.backend_port, log_level=settings.log_level.lower(),
                log_config=uvicorn_log_config())


@main.command()
def migrate() -> None:
    """Apply database migrations (also done at every start)."""
    from openspeakers.db.session import DatabaseUnavailable
    from openspeakers.db.session import migrate as run

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = settings.resolved_database_url
    try:
        run(url, settings.database_wait_timeout)
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"database at {url.split('@')[-1]} is up to date")


@main.command("models")
def list_models() -> None:
    """List every engine and whether it can run here."""
    from openspeakers.engines.availability import check_here
    from openspeakers.engines.registry import load_registry

    settings = get_settings()
    for spec in load_registry(settings.models_config, Runtime(settings)).models.values():
        availability = check_here(spec, settings)
        mark = "ready" if availability.available else "unavailable"
        click.echo(f"{spec.id:16} {spec.group:20} {mark:12} {spec.name}")
        if availability.reason:
            click.echo(f"{'':16} -> {availability.reason}")


@main.command()
@click.argument("text")
@click.option("--model", "model_id", default=None, help="Registry id (default DEFAULT_MODEL)")
@click.option("--voice", default=None)
@click.option("--speed", type=float, default=1.0)
@click.option("--pitch", type=float, default=1.0)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Output file; the format comes from its suffix (.mp3 .opus .aac .flac .wav "
                   ".pcm)")
def say(text: str, model_id: str | None, voice: str | None, speed: float, pitch: float,
        output: Path) -> None:
    """Speak TEXT ('-' reads standard input) into a file, through the job queue."""
    from openspeakers.api.context import AppContext
    from openspeakers.jobs.service import JobSpec

    if text == "-":
        text = sys.stdin.read()
    fmt = output.suffix.lstrip(".").lower()
    context = AppContext.build(get_settings())
    context.start()
    try:
        job = context.jobs.submit(JobSpec(text=text, model_id=model_id, voice=voice,
                                          speed=speed, pitch=pitch, format=fmt))
        job = _wait_finished(context, job.id)
        if job.status != "complete":
            raise click.ClickException(f"job {job.id} {job.status}: {job.error}")
        shutil.copyfile(context.jobs.audio_path(job), output)
        click.echo(f"{output}: {job.duration_seconds:.2f} s of audio from {job.model_id} "
                   f"(job {job.id})")
    except (LookupError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        context.close()


def _wait_finished(context, job_id: str):  # type: ignore[no-untyped-def]
    """The finished job. Its events are heard in this process only when this process's workers
    run it; a server sharing the database may claim it, so the row is read as well."""
    from openspeakers.db.models import JobStatus

    while True:
        context.events.wait_terminal(job_id, timeout=1.0)
        job = context.jobs.get(job_id)
        if JobStatus(job.status).finished:
            return job


@main.command()
@click.option("--uri", default=None, metavar="URI",
              help="Where to listen: tcp://HOST:PORT or unix://PATH (default WYOMING_URI, "
                   "else tcp://0.0.0.0:10200)")
@click.option("--zeroconf", "zeroconf_name", is_flag=False, flag_value="openspeakers",
              default=None, metavar="[NAME]",
              help="Announce the server over mDNS for Home Assistant's discovery, as NAME "
                   "(default 'openspeakers'); needs `pip install zeroconf`")
def wyoming(uri: str | None, zeroconf_name: str | None) -> None:
    """Serve text to speech over the Wyoming protocol (Home Assistant), through the job queue.

    Every available engine is offered, with its voices; see docs/WYOMING.md.
    """
    import asyncio

    from openspeakers.api.context import AppContext
    from openspeakers.wyoming.server import (
        ZeroconfUnavailableError,
        check_zeroconf,
        serve_until_stopped,
    )

    settings = get_settings()
    uri = uri or settings.wyoming_uri or "tcp://0.0.0.0:10200"
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if zeroconf_name:
            check_zeroconf(uri)
        context = AppContext.build(settings)
    except (ZeroconfUnavailableError, LookupError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    context.start()
    context.warm()
    try:
        asyncio.run(serve_until_stopped(context, uri, zeroconf_name))
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Wyoming server on {uri}: {exc}") from None
    finally:
        context.close()


@main.group()
def keys() -> None:
    """API keys. With none, the server is open to anyone who can reach it."""


def _sessions():  # type: ignore[no-untyped-def]
    from openspeakers.db.session import make_engine, make_session_factory
    from openspeakers.db.session import migrate as run

    settings = get_settings()
    url = settings.resolved_database_url
    run(url, settings.database_wait_timeout)
    return make_session_factory(make_engine(url))


_LIMIT = click.IntRange(min=1)


@keys.command("create")
@click.option("--name", default="default", help="A label to recognise the key by")
@click.option("--rpm", type=_LIMIT, default=None, help="Most requests per minute (429 above)")
@click.option("--max-jobs", type=_LIMIT, default=None,
              help="Most jobs pending or running at once (429 above)")
@click.option("--chars-per-day", type=_LIMIT, default=None,
              help="Most characters of text in 24 hours (429 above)")
def keys_create(name: str, rpm: int | None, max_jobs: int | None,
                chars_per_day: int | None) -> None:
    """Create a key and print it (only its hash is stored: copy it now). Limits left out are
    not enforced for this key."""
    from openspeakers.api.auth import create_key

    row, key = create_key(_sessions(), name, rpm=rpm, max_jobs=max_jobs,
                          chars_per_day=chars_per_day)
    click.echo(key)
    click.echo(f"created key {row.id} ({name}, {_limits(row)}); /api and /v1 now require "
               "'Authorization: Bearer <key>'", err=True)


def _limits(row) -> str:  # type: ignore[no-untyped-def]
    parts = [f"{label} {value}" for label, value in (
        ("rpm", row.rpm), ("max-jobs", row.max_jobs), ("chars-per-day", row.chars_per_day))
        if value is not None]
    return ", ".join(parts) or "no limits"


@keys.command("list")
def keys_list() -> None:
    """List keys (id, prefix, name, limits, last use)."""
    from openspeakers.api.auth import list_keys

    rows = list_keys(_sessions())
    if not rows:
        click.echo("no API keys: the server is open to anyone who can reach it "
                   "(create one: openspeakers keys create --name NAME)")
    for row in rows:
        click.echo(f"{row.id}  {row.prefix}...  {row.name:20}  {_limits(row):40}  "
                   f"last used {row.last_used_at}")


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Delete a key by id; with no keys left the server is open again."""
    from openspeakers.api.auth import revoke_key

    if not revoke_key(_sessions(), key_id):
        raise click.ClickException(f"no key with id '{key_id}'")
    click.echo(f"revoked {key_id}")


main.add_command(worker)
main.add_command(jobs)
main.add_command(voices)
main.add_command(cache)
main.add_command(run_distributed)
main.add_command(text)

if __name__ == "__main__":
    main()
