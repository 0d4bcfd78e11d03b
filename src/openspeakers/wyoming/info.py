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


def _program(engine: EngineVoices, release: str) -> TtsProgram:
    attribution = _attribution(engine)
    voices = [TtsVoice(name=voice_name(engine.id, v.id), description=v.description,
                       attribution=attribution, installed=True, version=None,
                       languages=list(v.languages)) for v in engine.voices]
    return TtsProgram(name=engine.id, description=engine.spec.description or engine.spec.name,
                      attribution=attribution, installed=True, version=release, voices=voices,
                      supports_synthesize_streaming=True)


def build_info(catalog: Catalog) -> Info:
    """Programs in the catalog's order: the default model first (clients that read only one
    program, as Home Assistant does, get the default engine)."""
    release = version("openspeakers")
    return Info(tts=[_program(engine, release) for engine in catalog.engines])
