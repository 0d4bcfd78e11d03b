"""`openspeakers jobs list|delete|prune`, `openspeakers voices list|add|delete` and
`openspeakers cache stats|clear`.

They work on the database and data directories named by the settings (the same ones the server
uses, so run them with the server's environment), through the same services as the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from openspeakers.config import get_settings
from openspeakers.jobs.result_cache import ResultCache


@contextmanager
def _context() -> Iterator[object]:
    """An AppContext without workers: the services, not the executor's threads."""
    from openspeakers.api.context import AppContext

    context = AppContext.build(get_settings())
    try:
        yield context
    finally:
        context.engine.dispose()


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


@click.group()
def jobs() -> None:
    """The job history: list, delete finished jobs and their audio, prune by age."""


@jobs.command("list")
@click.option("--status", type=click.Choice(["pending", "running", "complete", "failed",
                                             "cancelled"]), default=None)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--search", default=None, help="Only jobs whose text or voice contains this")
def jobs_list(status: str | None, limit: int, search: str | None) -> None:
    """Newest jobs first: id, status, model, finish time, audio length, text."""
    with _context() as ctx:
        page = ctx.jobs.list(page=1, page_size=limit, status=status,  # type: ignore[attr-defined]
                             search=search)
        usage = ctx.history.usage()  # type: ignore[attr-defined]
    if not page.items:
        click.echo("no jobs" + (f" with status {status}" if status else ""))
    for job in page.items:
        when = (job.finished_at or job.queued_at).strftime("%Y-%m-%d %H:%M")
        seconds = f"{job.duration_seconds:5.1f}s" if job.duration_seconds else "     -"
        text = job.text.replace("\n", " ")
        click.echo(f"{job.id}  {job.status:9}  {job.model_id:12}  {when}  {seconds}  "
                   f"{text[:50]}{'...' if len(text) > 50 else ''}")
    click.echo(f"{len(page.items)} of {page.total} jobs; audio uses {_size(usage.bytes)} in "
               f"{usage.files} files", err=True)


@jobs.command("delete")
@click.argument("job_ids", nargs=-1, required=True)
def jobs_delete(job_ids: tuple[str, ...]) -> None:
    """Delete finished jobs and their audio (pending or running ones: cancel them first)."""
    with _context() as ctx:
        removal = ctx.history.delete_many(job_ids)  # type: ignore[attr-defined]
    for job_id, why in removal.skipped.items():
        click.echo(f"skipped {job_id}: {why}", err=True)
    click.echo(f"deleted {len(removal.deleted)} jobs, {removal.files} files "
               f"({_size(removal.bytes_freed)})")
    if removal.skipped:
        raise SystemExit(1)


@jobs.command("prune")
@click.option("--older-than", "days", type=click.FloatRange(min=0), default=None,
              metavar="DAYS", help="Age in days (default AUDIO_RETENTION_DAYS)")
@click.option("--rows/--audio-only", "rows", default=None,
              help="Also delete the jobs from the history (default RETENTION_DELETE_ROWS)")
def jobs_prune(days: float | None, rows: bool | None) -> None:
    """Delete the audio of finished jobs older than DAYS (never a pending or running job's)."""
    settings = get_settings()
    if days is None:
        if settings.audio_retention_days <= 0:
            raise click.UsageError("give --older-than DAYS (AUDIO_RETENTION_DAYS is 0: audio "
                                   "is kept forever)")
        days = settings.audio_retention_days
    rows = settings.retention_delete_rows if rows is None else rows
    with _context() as ctx:
        removal = ctx.history.prune(older_than_days=days,  # type: ignore[attr-defined]
                                    delete_rows=rows)
    what = (f"{len(removal.deleted)} jobs deleted" if rows
            else f"audio of {len(removal.audio_cleared)} jobs deleted")
    click.echo(f"{what} (finished more than {days:g} days ago): {removal.files} files, "
               f"{_size(removal.bytes_freed)} freed")


@click.group()
def voices() -> None:
    """Voice profiles: list, add from a recording, delete."""


def _voice_service(ctx: object):  # type: ignore[no-untyped-def]
    from openspeakers.analysis.service import Analysis
    from openspeakers.voices.service import VoiceService

    settings = ctx.settings  # type: ignore[attr-defined]
    return VoiceService(sessions=ctx.sessions, settings=settings,  # type: ignore[attr-defined]
                        jobs=ctx.jobs, analysis=Analysis(settings))  # type: ignore[attr-defined]


@voices.command("list")
def voices_list() -> None:
    """Profiles, newest first: id, name, length, transcript."""
    with _context() as ctx:
        profiles = _voice_service(ctx).list()
    if not profiles:
        click.echo("no voice profiles (add one: openspeakers voices add NAME FILE)")
    for p in profiles:
        seconds = f"{p.duration_seconds:4.1f}s" if p.duration_seconds else "   -"
        text = (p.reference_text or "").replace("\n", " ")
        click.echo(f"{p.id}  {p.name[:24]:24}  {seconds}  {text[:50]}")


@voices.command("add")
@click.argument("name")
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--transcript", default=None, help="What the recording says (default: Whisper)")
@click.option("--description", default=None)
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more)")
def voices_add(name: str, audio: Path, transcript: str | None, description: str | None,
               tags: tuple[str, ...]) -> None:
    """Create a profile NAME from the reference recording AUDIO (3-60 s of speech)."""
    from openspeakers.engines.base import InvalidRequestError
    from openspeakers.voices.service import NewVoice

    settings = get_settings()
    if audio.stat().st_size > settings.voice_max_upload_bytes:
        raise click.ClickException(f"{audio} is larger than VOICE_MAX_UPLOAD_BYTES "
                                   f"({settings.voice_max_upload_bytes} bytes)")
    with _context() as ctx:
        try:
            profile = _voice_service(ctx).create(NewVoice(
                name=name, audio=audio.read_bytes(), transcript=transcript,
                description=description, tags=list(tags)))
        except (InvalidRequestError, ValueError) as exc:  # say what was wrong
            raise click.ClickException(str(exc)) from None
    click.echo(f"{profile.id}  {profile.name}: {profile.duration_seconds:.1f} s; speak with "
               f"voice 'profile:{profile.id}' on a cloning engine")


@voices.command("delete")
@click.argument("profile_ids", nargs=-1, required=True)
def voices_delete(profile_ids: tuple[str, ...]) -> None:
    """Delete profiles and their files."""
    from openspeakers.voices.service import VoiceNotFoundError

    missing = 0
    with _context() as ctx:
        service = _voice_service(ctx)
        for profile_id in profile_ids:
            try:
                service.delete(profile_id)
                click.echo(f"deleted {profile_id}")
            except VoiceNotFoundError as exc:
                click.echo(str(exc), err=True)
                missing += 1
    if missing:
        raise SystemExit(1)


@click.group()
def cache() -> None:
    """The result cache (CACHE_DIR): finished outputs answered again without generating."""


def _result_cache() -> ResultCache:
    settings = get_settings()
    return ResultCache(settings.resolved_cache_dir, settings.cache_max_bytes)


@cache.command("stats")
def cache_stats() -> None:
    """Entries and size of the result cache, against its limit."""
    settings = get_settings()
    stats = _result_cache().stats()
    state = "on" if settings.cache_enabled else "off (CACHE_ENABLED=false)"
    click.echo(f"{stats.entries} outputs, {_size(stats.bytes)} of {_size(stats.max_bytes)} "
               f"(CACHE_MAX_BYTES) in {stats.directory}; cache {state}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached output (jobs' own audio files are not touched)."""
    removed = _result_cache().clear()
    click.echo(f"deleted {removed.entries} cached outputs ({_size(removed.bytes)})")
