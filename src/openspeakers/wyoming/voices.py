"""Which engine and voice a Wyoming request means (the rule is documented in docs/WYOMING.md).

1. `name` "engine:voice" (as `describe` advertises them, e.g. "kokoro:jf_alpha",
   "piper:alloy"): that engine, that voice.
2. `name` equal to an engine id ("espeak"): that engine; `speaker`, if given, is its voice.
3. Any other `name` ("jf_alpha", "alloy"): the first engine that has such a voice, in the
   order: program chosen with `select-program`, DEFAULT_MODEL, registry order. A voice unique
   to one engine so picks that engine; an OpenAI name picks the preferred engine.
4. No name, a `language`: the first engine (same order) with a voice for that language.
5. Nothing: the preferred engine's default voice.

Unknown voices, engines or languages fall back to the preferred engine's default voice with a
logged warning (what Home Assistant's own Wyoming servers do); they are never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from wyoming.tts import SynthesizeVoice

from openspeakers.wyoming.catalog import Catalog, EngineVoices


class NoEngineError(RuntimeError):
    """No engine can run here at all."""


@dataclass(frozen=True)
class VoiceChoice:
    engine: EngineVoices
    voice: str | None
    """An engine voice id or an OpenAI voice name; None = the engine's default voice."""
    warning: str | None = None
    """Why the request was not followed exactly (then the default voice is used)."""

    @property
    def model_id(self) -> str:
        return self.engine.id


def choose_voice(catalog: Catalog, requested: SynthesizeVoice | None,
                 program: str | None = None) -> VoiceChoice:
    order = catalog.preference(program)
    if not order:
        raise NoEngineError("no text-to-speech engine can run on this server")
    preferred = order[0]
    name = requested.name if requested else None
    if name:
        return _by_name(catalog, order, name, requested.speaker if requested else None)
    language = requested.language if requested else None
    if language:
        for engine in order:
            if voice := engine.voice_for_language(language):
                return VoiceChoice(engine, voice)
        return _fallback(preferred, f"no voice for language '{language}'")
    return VoiceChoice(preferred, None)


def _by_name(catalog: Catalog, order: list[EngineVoices], name: str,
             speaker: str | None) -> VoiceChoice:
    model_id, colon, voice = name.partition(":")
    if not colon and name in catalog.registry_ids:
        model_id, voice = name, speaker or ""
    if model_id in catalog.registry_ids and (colon or name == model_id):
        engine = catalog.get(model_id)
        if engine is None:
            why = catalog.unavailable.get(model_id, "unavailable")
            return _fallback(order[0], f"model '{model_id}' cannot run here ({why})")
        if not voice:
            return VoiceChoice(engine, None)
        if engine.knows(voice):
            return VoiceChoice(engine, voice)
        return _fallback(engine, f"unknown voice '{voice}' for model '{model_id}'")
    for engine in order:
        if engine.knows(name):
            return VoiceChoice(engine, name)
    return _fallback(order[0], f"unknown voice '{name}'")


def _fallback(engine: EngineVoices, why: str) -> VoiceChoice:
    return VoiceChoice(engine, None, f"{why}; using the default voice of '{engine.id}'")
