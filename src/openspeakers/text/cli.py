"""`openspeakers text compile | say`: build the normalisation grammars ahead of time, try one."""

from __future__ import annotations

import time

import click

from openspeakers.config import get_settings
from openspeakers.text.normalize import LANGUAGES, compile_language, shared


@click.group()
def text() -> None:
    """Text normalisation grammars (docs/TEXT.md)."""


@text.command("compile")
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              help="A language to build (repeatable; default: all)")
def compile_command(languages: tuple[str, ...]) -> None:
    """Build the grammars into TEXT_CACHE_DIR once (about a minute each), so no job waits."""
    cache_dir = get_settings().resolved_text_cache_dir
    for lang in languages or LANGUAGES:
        seconds = compile_language(cache_dir, lang)
        click.echo(f"{lang}: ready in {cache_dir / lang} ({seconds:.1f} s)")


@text.command("say")
@click.argument("words")
@click.option("--lang", default="en", show_default=True, type=click.Choice(LANGUAGES))
def say_command(words: str, lang: str) -> None:
    """Print the spoken form of WORDS (and how long it took)."""
    normalizers = shared(get_settings().resolved_text_cache_dir)
    normalizers.get(lang)
    started = time.monotonic()
    spoken = normalizers.text(words, lang)
    click.echo(spoken)
    click.echo(f"({(time.monotonic() - started) * 1000:.0f} ms)", err=True)
