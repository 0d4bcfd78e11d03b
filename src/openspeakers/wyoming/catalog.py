"""The engines a Wyoming client can use: the available ones, their voices and languages.

Built from the registry and `engines.availability` (no engine is loaded). The same catalog
answers `describe` and picks the engine of each `synthesize`, so the two never disagree.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openspeakers.config import Settings
from openspeakers.engines.availability import Availability
from openspeakers.engines.base import Voice
from openspeakers.engines.registry import OPENAI_VOICES, ModelSpec, Registry


def normalize_language(code: str) -> str:
    """`en_US` and `en-US` alike: lower case, dashes."""
    return code.strip().replace("_", "-").lower()


def language_matches(wanted: str, offered: str) -> bool:
    """`en` matches `en-us` (and the other way round); `en-gb` does not match `en-us`."""
    a, b = normalize_language(wanted), normalize_language(offered)
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


@dataclass(frozen=True)
class CatalogVoice:
    """A voice as advertised: an engine voice id or an OpenAI voice name, with languages."""

    id: str
    description: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class EngineVoices:
    spec: ModelSpec
    voices: tuple[CatalogVoice, ...]
    """Built-in voices first, then the OpenAI voice names (mapped by the registry)."""
    sample_rate: int

    @property
    def id(self) -> str:
        return self.spec.id

    def knows(self, voice: str) -> bool:
        return any(v.id == voice for v in self.voices)

    def voice_for_language(self, language: str) -> str | None:
        """The first built-in voice speaking `language` (an exact match preferred)."""
        builtin = [v for v in self.voices if v.id not in OPENAI_VOICES]
        for exact in (True, False):
            for voice in builtin:
                if any((normalize_language(lang) == normalize_language(language)) if exact
                       else language_matches(language, lang) for lang in voice.languages):
                    return voice.id
        return None


@dataclass(frozen=True)
class Catalog:
    engines: tuple[EngineVoices, ...]
    """Available engines; the default model (DEFAULT_MODEL) first, then registry order."""
    registry_ids: frozenset[str]
    unavailable: dict[str, str]
    """Registry ids that cannot run here -> why."""

    def get(self, model_id: str) -> EngineVoices | None:
        return next((e for e in self.engines if e.id == model_id), None)

    def preference(self, program: str | None = None) -> list[EngineVoices]:
        """Engines in the order ambiguous requests are resolved: the program the client
        selected (`select-program`), the default model, then registry order."""
        chosen = self.get(program) if program else None
        rest = [e for e in self.engines if e is not chosen]
        return [chosen, *rest] if chosen else rest


def _languages(voice: Voice, spec: ModelSpec, one_language_engine: bool) -> tuple[str, ...]:
    """The voice's own language; for engines whose voices all share one language, also the
    registry's languages (Kokoro's Japanese-named voices speak English too)."""
    own = [voice.language] if voice.language else []
    extra = spec.languages if one_language_engine or not own else ()
    out = list(own)
    for lang in extra:
        if not any(language_matches(lang, have) for have in out):
            out.append(lang)
    return tuple(out)


def engine_voices(spec: ModelSpec) -> EngineVoices:
    cls = spec.engine_class()
    builtin = cls.builtin_voices()
    one_language = len({v.language for v in builtin}) <= 1
    voices = [CatalogVoice(v.id, f"{v.name} ({spec.name})", _languages(v, spec, one_language))
              for v in builtin]
    by_id = {v.id: v for v in voices}
    default = cls.default_voice()
    for name in OPENAI_VOICES:
        target = spec.openai_voices.get(name, default)
        languages = by_id[target].languages if target in by_id else spec.languages
        voices.append(CatalogVoice(name, f"{name.capitalize()} -> {target} ({spec.name})",
                                   languages))
    return EngineVoices(spec, tuple(voices), cls.sample_rate)


def build_catalog(registry: Registry, settings: Settings,
                  availability_of: Callable[[ModelSpec], Availability]) -> Catalog:
    """Blocking (imports engine modules, lists eSpeak's voices): call it from a thread.
    `availability_of` is the job service's (workers may run engines this process cannot)."""
    available: list[EngineVoices] = []
    unavailable: dict[str, str] = {}
    for spec in _default_first(registry.models.values(), settings.default_model):
        availability = availability_of(spec)
        if availability.available:
            available.append(engine_voices(spec))
        else:
            unavailable[spec.id] = availability.reason or "unavailable"
    return Catalog(tuple(available), frozenset(registry.models), unavailable)


def _default_first(specs: Iterable[ModelSpec], default: str) -> list[ModelSpec]:
    ordered = list(specs)
    return sorted(ordered, key=lambda s: s.id != default)  # stable: registry order otherwise


class CatalogCache:
    """The catalog, rebuilt on `describe` and when older than `max_age` seconds, so that an
    engine whose weights were downloaded (or that was disabled) shows up without a restart."""

    def __init__(self, registry: Registry, settings: Settings,
                 availability_of: Callable[[ModelSpec], Availability],
                 max_age: float = 60.0) -> None:
        self._registry = registry
        self._settings = settings
        self._availability_of = availability_of
        self._max_age = max_age
        self._catalog: Catalog | None = None
        self._built = 0.0
        self._lock = asyncio.Lock()

    async def get(self, *, fresh: bool = False) -> Catalog:
        async with self._lock:
            now = time.monotonic()
            if fresh or self._catalog is None or now - self._built > self._max_age:
                self._catalog = await asyncio.to_thread(build_catalog, self._registry,
                                                        self._settings, self._availability_of)
                self._built = now
            return self._catalog
