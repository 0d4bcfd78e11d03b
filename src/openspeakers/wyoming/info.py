"""The `info` answer to `describe`: one TTS program per available engine, with its voices."""

from __future__ import annotations

from importlib.metadata import version

from wyoming.info import Attribution, Info, TtsProgram, TtsVoice

from openspeakers.wyoming.catalog import Catalog, EngineVoices


def voice_name(model_id: str, voice: str) -> str:
    """The advertised, unambiguous name of a voice: "kokoro:jf_alpha"."""
    return f"{model_id}:{voice}"


def _attribution(engine: EngineVoices) -> Attribution:
    repo = engine.spec.hf_repo
    return Attribution(name=engine.spec.name,
                       url=f"https://huggingface.co/{repo}" if repo else "")


def _voices(engine: EngineVoices) -> list[TtsVoice]:
    attribution = _attribution(engine)
    return [TtsVoice(name=voice_name(engine.id, v.id), description=v.description,
                     attribution=attribution, installed=True, version=None,
                     languages=list(v.languages)) for v in engine.voices]


def _program(engine: EngineVoices, release: str, voices: list[TtsVoice]) -> TtsProgram:
    return TtsProgram(name=engine.id, description=engine.spec.description or engine.spec.name,
                      attribution=_attribution(engine), installed=True, version=release,
                      voices=voices, supports_synthesize_streaming=True)


def build_info(catalog: Catalog) -> Info:
    """Programs in the catalog's order, the default model first. Home Assistant reads only
    the first program's voices, so that one carries every engine's voices (its own first);
    the others carry their own. `engine:voice` names say which engine speaks."""
    release = version("openspeakers")
    own = [_voices(engine) for engine in catalog.engines]
    programs = []
    for index, engine in enumerate(catalog.engines):
        voices = [v for vs in own for v in vs] if index == 0 else own[index]
        programs.append(_program(engine, release, voices))
    return Info(tts=programs)
