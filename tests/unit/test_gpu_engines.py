"""The GPU engine adapters without their extras: imports, voices, input preparation, errors.

Everything here runs in the server's environment (no torch, no engine package); the adapters'
generate paths run on tiny random models in tests/engines (in the engines' environments).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from openspeakers.config import Settings
from openspeakers.engines import (
    chatterbox,
    cosyvoice,
    dia,
    f5,
    fish_speech,
    hf,
    kokoro_torch,
    orpheus,
    parler,
    qwen3,
    vibevoice,
)
from openspeakers.engines.base import EngineError, GenerateRequest, InvalidRequestError
from openspeakers.engines.registry import Registry, load_registry
from openspeakers.runtime import Runtime

REPO_MODELS_YAML = Path(__file__).resolve().parents[2] / "configs" / "models.yaml"
GPU_ENGINES = ("kokoro-torch", "vibevoice", "vibevoice-1.5b", "fish-speech", "qwen3-tts",
               "orpheus", "dia", "f5-tts", "chatterbox", "cosyvoice", "parler")
HEAVY = ("torch", "transformers", "snac", "vibevoice", "qwen_tts", "parler_tts", "f5_tts",
         "chatterbox", "cosyvoice", "fish_speech", "vllm", "kokoro", "misaki", "spacy",
         "huggingface_hub", "soundfile")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REPO_MODELS_YAML)


@pytest.fixture
def empty_cache(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    cache.mkdir()
    return cache


@pytest.fixture
def offline(empty_cache: Path) -> Settings:
    """Settings of a server whose MODEL_CACHE_DIR is `empty_cache`, never downloading."""
    return Settings(model_cache_dir=empty_cache, hf_hub_offline=True,
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def cached(offline: Settings) -> Registry:
    """The registry as that server builds it: engines bound to its settings."""
    return load_registry(REPO_MODELS_YAML, Runtime(offline))


def test_every_adapter_imports_with_the_heavy_packages_blocked(registry: Registry) -> None:
    """A fresh interpreter where importing torch & co. fails: adapters, voices, flags still work."""
    adapters = [registry.get(m).adapter for m in GPU_ENGINES]
    code = f"""
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {HEAVY!r}:
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
for adapter in {adapters!r}:
    module, _, cls = adapter.partition(':')
    engine = getattr(importlib.import_module(module), cls)
    assert engine.builtin_voices(), adapter
    engine({{}})
print('ok', sorted(k for k in sys.modules if k.split('.')[0] in {HEAVY!r}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok []"


@pytest.mark.parametrize("model_id", GPU_ENGINES)
def test_builtin_voices_and_registry_facts(registry: Registry, model_id: str) -> None:
    spec = registry.get(model_id)
    cls = spec.engine_class()
    voices = cls.builtin_voices()
    assert voices and len({v.id for v in voices}) == len(voices)
    assert cls.resolve_voice(None) == voices[0].id
    with pytest.raises(InvalidRequestError, match="unknown voice"):
        cls.resolve_voice("no-such-voice")
    assert cls.hf_repo == spec.hf_repo
    assert cls.vram_gb_estimate == spec.vram_gb
    assert spec.extra and spec.license and spec.languages


@pytest.mark.parametrize("model_id", GPU_ENGINES)
def test_load_without_weights_names_the_hub_repo(cached: Registry, model_id: str,
                                                 empty_cache: Path) -> None:
    registry = cached
    engine = registry.get(model_id).create()
    with pytest.raises(hf.WeightsMissingError) as info:
        engine.load("cpu")
    assert registry.get(model_id).hf_repo in str(info.value)
    assert str(empty_cache) in str(info.value)
    assert not engine.is_loaded


@pytest.mark.parametrize("model_id", GPU_ENGINES)
def test_generate_before_load_is_a_clear_error(registry: Registry, model_id: str) -> None:
    engine = registry.get(model_id).create()
    with pytest.raises(EngineError):
        engine.generate(GenerateRequest(text="Hello."))


# --- shared helpers -------------------------------------------------------------------------


def _snapshot(cache: Path, repo: str, rev: str, ref: bool = False) -> Path:
    base = cache / f"models--{repo.replace('/', '--')}"
    snap = base / "snapshots" / rev
    snap.mkdir(parents=True)
    (snap / "config.json").write_text("{}", encoding="utf-8")
    if ref:
        (base / "refs").mkdir(exist_ok=True)
        (base / "refs" / "main").write_text(rev, encoding="utf-8")
    return snap


def test_snapshot_dir_prefers_refs_main(empty_cache: Path, offline: Settings) -> None:
    _snapshot(empty_cache, "org/model", "bbbb")
    pinned = _snapshot(empty_cache, "org/model", "aaaa", ref=True)
    assert hf.snapshot_dir("org/model", offline) == pinned


def test_snapshot_dir_local_folder_overrides(tmp_path: Path, offline: Settings) -> None:
    assert hf.snapshot_dir("org/model", offline, tmp_path) == tmp_path
    with pytest.raises(hf.WeightsMissingError, match="org/model"):
        hf.snapshot_dir("org/model", offline, tmp_path / "missing")


def test_model_dir_option_is_used(tmp_path: Path, empty_cache: Path) -> None:
    engine = orpheus.OrpheusEngine({"model_dir": str(tmp_path)})
    assert engine.weights_dir() == tmp_path


def test_to_float32_mono() -> None:
    stereo = np.stack([np.full(100, 0.5), np.full(100, -0.5)]).astype(np.float64)[None]
    out = hf.to_float32_mono(stereo)
    assert out.dtype == np.float32 and out.shape == (100,) and np.allclose(out, 0)
    pcm = hf.to_float32_mono(np.array([16384, -32768], np.int16))
    assert np.allclose(pcm, [0.5, -1.0])
    assert np.allclose(hf.to_float32_mono([[2.0, np.nan]]), [1.0, 0.0])


def test_resample_length() -> None:
    assert len(hf.resample(np.zeros(22050, np.float32), 22050, 44100)) == 44100


def test_from_parts_sets_the_held_parts_and_unload_drops_them() -> None:
    engine = dia.DiaEngine.from_parts("cpu", model="m", processor="p")
    assert engine.is_loaded and engine.model == "m"
    engine.unload()
    assert engine.model is None and engine.processor is None and not engine.is_loaded
    with pytest.raises(TypeError):
        dia.DiaEngine.from_parts("cpu", snac="x")


# --- per-engine input preparation -----------------------------------------------------------


def test_kokoro_torch_voices_come_from_the_cached_snapshot(empty_cache: Path,
                                                          cached: Registry) -> None:
    engine = cached.get("kokoro-torch").engine_class()
    ids = [v.id for v in engine.builtin_voices()]
    assert len(ids) == 54 and ids[0] == "af_heart"  # the v1.0 list while nothing is cached
    snap = _snapshot(empty_cache, kokoro_torch.REPO, "abc", ref=True)
    (snap / "voices").mkdir()
    for name in ("bf_emma", "af_bella", "zz_new", "README"):
        (snap / "voices" / f"{name}.pt").write_bytes(b"")
    voices = engine.builtin_voices()
    assert [v.id for v in voices] == ["af_bella", "bf_emma"]  # stock order; strays dropped
    assert [(v.language, v.gender) for v in voices] == [("en-us", "female"), ("en-gb", "female")]


def test_kokoro_torch_languages_and_blends() -> None:
    lang = kokoro_torch.pipeline_language
    assert [lang(t) for t in ("en", "EN_GB", "b", "pt", "fr", "es", "zh-cn")] == \
        ["en-us", "en-gb", "en-gb", "pt-br", "fr-fr", "es", "zh"]
    assert lang("en", "en-gb") == "en-gb" and lang("en-us", "en-gb") == "en-us"
    assert lang("es", "en-gb") == "es"
    with pytest.raises(InvalidRequestError, match="cannot speak language 'de'"):
        lang("de")
    assert kokoro_torch.language_of("jf_alpha") == "ja"
    resolve = kokoro_torch.KokoroTorchEngine.resolve_voice
    assert resolve(" af_heart (2) + bm_lewis") == "af_heart(2)+bm_lewis(1)"
    with pytest.raises(InvalidRequestError, match="unknown voice 'af_nobody'"):
        resolve("af_heart+af_nobody")


def test_orpheus_unload_shuts_the_vllm_engine_down() -> None:
    calls: list[str] = []

    class Core:
        def shutdown(self) -> None:
            calls.append("shutdown")

    class Engine:
        engine_core = Core()

    class FakeLLM:
        llm_engine = Engine()

    engine = orpheus.OrpheusEngine.from_parts("cuda:0", llm=FakeLLM())
    engine.unload()
    assert calls == ["shutdown"] and engine.llm is None and not engine.is_loaded


def test_orpheus_on_vllm_takes_the_memory_the_registry_books(tmp_path: Path) -> None:
    """vLLM's gpu_memory_utilization is the share of the device that the arbiter reserves for
    Orpheus (its registry VRAM estimate), not half of the device."""
    def fraction(budget: float | None, **options: float) -> float:
        settings = Settings(gpu_vram_gb=budget, _env_file=None)  # type: ignore[call-arg]
        spec = load_registry(REPO_MODELS_YAML, Runtime(settings)).get("orpheus")
        return spec.engine_class()({**spec.params, **options}).memory_fraction(141.0)

    assert fraction(None) == round(8.0 / 141.0, 4)  # 8 GB of an H200, as the arbiter books
    assert fraction(6.0) == round(6.0 / 141.0, 4)  # never more than GPU_VRAM_GB
    assert fraction(None, gpu_memory=0.3) == 0.3  # an explicit option wins


def test_orpheus_prompt_layout() -> None:
    assert orpheus.prompt_ids([128000, 5, 6]) == [128259, 128000, 5, 6, 128009, 128260, 128261,
                                                  128257]


def _tokens(frames: np.ndarray) -> list[int]:
    return [orpheus.AUDIO0 + slot * orpheus.CODEBOOK + int(code)
            for frame in frames for slot, code in enumerate(frame)]


def test_orpheus_audio_codes_round_trip() -> None:
    frames = np.random.default_rng(0).integers(0, 4096, (5, 7))
    noise = [128009, 42]  # text tokens the model may emit: ignored
    ids = noise + _tokens(frames) + [orpheus.EOS_SPEECH] + _tokens(frames[:1])[:3]
    assert (orpheus.audio_codes(ids) == frames).all()  # trailing part frame dropped


def test_orpheus_invalid_frame_is_dropped() -> None:
    frames = np.arange(14).reshape(2, 7)
    ids = _tokens(frames)
    ids[7 + 2] = orpheus.AUDIO0 + 5 * orpheus.CODEBOOK  # slot 2 holding a slot-5 token
    assert (orpheus.audio_codes(ids) == frames[:1]).all()


def test_orpheus_snac_layers() -> None:
    frames = np.arange(14).reshape(2, 7)
    l0, l1, l2 = orpheus.snac_layers(frames)
    assert l0.tolist() == [[0, 7]]
    assert l1.tolist() == [[1, 4, 8, 11]]
    assert l2.tolist() == [[2, 3, 5, 6, 9, 10, 12, 13]]


def test_orpheus_voices_and_emotion_tags_pass_through() -> None:
    assert [v.id for v in orpheus.OrpheusEngine.builtin_voices()][:2] == ["tara", "leah"]

    class Tok:
        def __call__(self, text: str, add_special_tokens: bool) -> object:
            self.text = text
            return type("E", (), {"input_ids": [1, 2]})()

    engine = orpheus.OrpheusEngine.from_parts("cpu", tokenizer=Tok())
    ids = engine._prompt(GenerateRequest(text="Hi <laugh> there", voice="leo"))
    assert engine.tokenizer.text == "leo: Hi <laugh> there"
    assert ids[0] == orpheus.SOH and ids[-1] == orpheus.SOS


def test_dia_speaker_tags() -> None:
    assert dia.dialogue("Hello  there.") == "[S1] Hello there."
    assert dia.dialogue("[S2] Hi. [S1] (laughs) Yes.") == "[S2] Hi. [S1] (laughs) Yes."
    with pytest.raises(InvalidRequestError, match=r"\[S3\]"):
        dia.dialogue("[S1] a [S3] b")
    with pytest.raises(InvalidRequestError):
        dia.dialogue("   ")


def test_dia_clone_prompt_continues_the_last_reference_speaker() -> None:
    assert dia.clone_prompt("[S1] Ref one. [S2] Ref two.", "New.") == \
        "[S1] Ref one. [S2] Ref two. [S2] New."
    assert dia.clone_prompt("Ref.", "[S2] New.") == "[S1] Ref. [S2] New."


def test_dia_cloning_needs_the_transcript(tmp_path: Path) -> None:
    ref = tmp_path / "ref.wav"
    ref.write_bytes(b"RIFF")
    engine = dia.DiaEngine.from_parts("cpu", model="m", processor="p")
    with pytest.raises(InvalidRequestError, match="transcript"):
        engine.inputs(GenerateRequest(text="Hi", reference_audio=ref))


def test_parler_description() -> None:
    p: dict[str, object] = {}
    assert parler.description(GenerateRequest(text="x", instructions="A deep  voice."),
                              "jon", p) == "A deep voice."
    assert parler.description(GenerateRequest(text="x"), "default",
                              {"description": "Slow."}) == "Slow."
    assert parler.description(GenerateRequest(text="x"), "default", p) == \
        parler.DEFAULT_DESCRIPTION
    assert parler.description(GenerateRequest(text="x"), "jon", p).startswith("Jon's voice")


def test_f5_reference_transcript_is_required() -> None:
    with pytest.raises(InvalidRequestError, match="transcript"):
        f5.reference_transcript("  ")
    assert f5.reference_transcript("Hello there") == "Hello there. "
    assert f5.reference_transcript("你好。") == "你好。 "
    assert f5.text_chunk_chars("a" * 50, 5.0) == 170


def test_f5_cloning_without_transcript_is_refused(tmp_path: Path) -> None:
    ref = tmp_path / "ref.wav"
    ref.write_bytes(b"RIFF")
    engine = f5.F5TTSEngine.from_parts("cpu", model="m", vocoder="v")
    with pytest.raises(InvalidRequestError, match="transcript"):
        engine.generate(GenerateRequest(text="Hi", reference_audio=ref))


def test_qwen3_languages_and_sampling() -> None:
    assert qwen3.language_name(None) == "Auto"
    assert qwen3.language_name("en-US") == "English"
    assert qwen3.language_name("japanese") == "Japanese"
    with pytest.raises(InvalidRequestError, match="xx"):
        qwen3.language_name("xx")
    assert qwen3.generation_kwargs({"temperature": "0.7", "top_k": 20.0, "other": 1}) == \
        {"temperature": 0.7, "top_k": 20}
    assert "ryan" in [v.id for v in qwen3.Qwen3TTSEngine.builtin_voices()]


def test_chatterbox_sampling() -> None:
    assert chatterbox.sampling({"exaggeration": 0.7}) == {"exaggeration": 0.7,
                                                           "cfg_weight": 0.5, "temperature": 0.8}
    with pytest.raises(InvalidRequestError, match="exaggeration"):
        chatterbox.sampling({"exaggeration": 5})


def test_cosyvoice_mode_follows_the_request() -> None:
    plain = GenerateRequest(text="t")
    assert cosyvoice.inference_call(plain, "p.wav", "ref")[0] == "inference_zero_shot"
    assert cosyvoice.inference_call(plain, "p.wav", None)[0] == "inference_cross_lingual"
    method, kwargs = cosyvoice.inference_call(GenerateRequest(text="t", instructions="Happy."),
                                              "p.wav", "ref")
    assert method == "inference_instruct2" and kwargs["instruct_text"] == "Happy."


def test_fish_speech_request_fields() -> None:
    fields = fish_speech.request_fields(GenerateRequest(text="t", seed=7),
                                        {"temperature": 0.5}, streaming=True)
    assert fields["streaming"] is True and fields["seed"] == 7 and fields["temperature"] == 0.5
    assert fields["top_p"] == 0.7


def test_vibevoice_script() -> None:
    assert vibevoice.script("Hello there.") == ("Speaker 1: Hello there.", 1)
    text, count = vibevoice.script("Speaker 1: Hi.\n[S2] Hello.\nstill two\n\nSpeaker 1: Bye.")
    assert count == 2
    assert text.splitlines() == ["Speaker 1: Hi.", "Speaker 2: Hello.", "Speaker 2: still two",
                                 "Speaker 1: Bye."]
    with pytest.raises(InvalidRequestError, match="1..1"):
        vibevoice.script("Speaker 2: only two")


def test_vibevoice_voice_files(tmp_path: Path) -> None:
    engine = vibevoice.VibeVoiceLargeEngine({"voices_dir": str(tmp_path)})
    (tmp_path / "en-Alice_woman.wav").write_bytes(b"RIFF")
    assert engine.voice_file("en-Alice_woman") == tmp_path / "en-Alice_woman.wav"
    with pytest.raises(EngineError, match="en-Frank_man.wav"):
        engine.voice_file("en-Frank_man")
    realtime = vibevoice.VibeVoiceEngine({"voices_dir": str(tmp_path)})
    (tmp_path / "streaming_model").mkdir()
    (tmp_path / "streaming_model" / "en-Emma_woman.pt").write_bytes(b"")
    assert realtime.voice_file("en-Emma_woman").name == "en-Emma_woman.pt"


def test_vibevoice_large_needs_a_voice_per_speaker(tmp_path: Path) -> None:
    (tmp_path / "en-Alice_woman.wav").write_bytes(b"RIFF")
    engine = vibevoice.VibeVoiceLargeEngine.from_parts("cpu", {"voices_dir": str(tmp_path)})
    request = GenerateRequest(text="x", voice="en-Alice_woman")
    with pytest.raises(InvalidRequestError, match="speakers"):
        engine.speaker_voices(request, 2)
    request.params["speakers"] = "en-Alice_woman"
    assert len(engine.speaker_voices(request, 2)) == 2


def test_clone_voice(tmp_path: Path, registry: Registry) -> None:
    ref = tmp_path / "ref.wav"
    ref.write_bytes(b"RIFF")
    assert registry.get("f5-tts").create().clone_voice(ref, "me")["reference_audio"] == str(ref)
    with pytest.raises(InvalidRequestError, match="not found"):
        registry.get("dia").create().clone_voice(tmp_path / "none.wav", "me")
    with pytest.raises(InvalidRequestError, match="does not support voice cloning"):
        registry.get("parler").create().clone_voice(ref, "me")
