"""A job's text normalisation: which language, whether at all, and what the user is told.

The runner builds one `SpokenForm` per job from its parameters (`normalize: false` turns the
verbalising off), its engine (engines with the `text_normalization` capability do it
themselves) and its language: the request's `language`, else the engine's `lang` parameter,
else the voice's language, else English for text in Latin script. Waiting for a grammar and
an uncovered language are logged and published as job events (`text`, `warning`), so a
client sees why its first audio is late or why "$5" was read as written.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from typing import Any

from openspeakers.analysis.asr import Transcript
from openspeakers.config import Settings
from openspeakers.db.models import TTSJob
from openspeakers.engines.base import GenerateRequest, TTSModelBase
from openspeakers.engines.registry import Registry
from openspeakers.jobs.rows import request_from_job
from openspeakers.text.normalize import shared
from openspeakers.text.spoken import SpokenForm

log = logging.getLogger(__name__)

Publish = Callable[[dict[str, Any]], None]


def wants_normalizing(parameters: dict[str, Any]) -> bool:
    """Off only where the request said `normalize: false` (stored in the job's parameters)."""
    return parameters.get("normalize", True) is not False


def job_language(engine: type[TTSModelBase] | TTSModelBase, request: GenerateRequest) -> str | None:
    """The language the job's text is read in, as far as the request and engine tell."""
    if request.language:
        return request.language
    lang = request.params.get("lang") or request.params.get("language")
    if isinstance(lang, str) and lang:
        return lang
    try:
        voices = {v.id: v for v in engine.builtin_voices()}
    except Exception:  # noqa: BLE001 - a voice list that cannot be read tells nothing
        voices = {}
    voice = voices.get(request.voice or "")
    if voice is not None and voice.language:
        return voice.language
    return "en" if latin_script(request.text) else None


def latin_script(text: str) -> bool:
    """Whether most letters of `text` are Latin (English is then the likely language)."""
    letters = [c for c in text[:2000] if c.isalpha()]
    if not letters:
        return True
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin >= 0.8 * len(letters)


def job_spoken_form(engine: type[TTSModelBase] | TTSModelBase, request: GenerateRequest,
                    parameters: dict[str, Any], *, settings: Settings, job_id: str,
                    publish: Publish) -> SpokenForm:
    """The `SpokenForm` of one job (see the module's docstring)."""
    wanted = wants_normalizing(parameters)
    verbalise = wanted and not engine.supports_text_normalization
    language = job_language(engine, request) if verbalise else None

    def warn(message: str) -> None:
        log.warning("job %s: %s", job_id, message)
        publish({"type": "warning", "job_id": job_id, "message": message})

    def wait(message: str) -> None:
        log.info("job %s: %s", job_id, message)
        publish({"type": "text", "job_id": job_id, "message": message})

    normalizers = shared(settings.resolved_text_cache_dir) if verbalise else None
    return SpokenForm(language, normalizers, languages=settings.text_normalized_languages,
                      markup=wanted, warn=warn, wait=wait)


def heard_as(job: TTSJob, registry: Registry, settings: Settings
             ) -> Callable[[Transcript], Transcript] | None:
    """For a finished job's captions: its transcripts put in the form its `spoken_text` has
    (None when the job was spoken as written)."""
    if not job.spoken_text or job.spoken_text == job.text or job.model_id not in registry.models:
        return None
    engine = registry.get(job.model_id).engine_class()
    spoken = job_spoken_form(engine, request_from_job(job), dict(job.parameters or {}),
                             settings=settings, job_id=job.id, publish=lambda _: None)
    return spoken.heard
