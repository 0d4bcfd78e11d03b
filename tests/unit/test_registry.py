"""The engine registry (configs/models.yaml) and the availability check derived from it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from openspeakers.config import Settings
from openspeakers.engines import availability
from openspeakers.engines.registry import (
    CAPABILITIES,
    ModelSpec,
    Registry,
    UnknownModelError,
    load_registry,
    module_available,
)
from openspeakers.runtime import Runtime

REPO_MODELS_YAML = Path(__file__).resolve().parents[2] / "configs" / "models.yaml"

EXPECTED_GROUPS = {
    "kokoro": "tts.kokoro",
    "kokoro-torch": "tts.kokoro",
    "vibevoice": "tts",
    "vibevoice-1.5b": "tts.vibevoice-1.5b",
    "fish-speech": "tts.fish-speech",
    "qwen3-tts": "tts.qwen3",
    "orpheus": "tts.orpheus",
    "dia": "tts.dia",
    "f5-tts": "tts.f5-tts",
    "chatterbox": "tts.f5-tts",
    "cosyvoice": "tts.f5-tts",
    "parler": "tts.f5-tts",
    "piper": "tts.cpu",
    "espeak": "tts.cpu",
}

AVAILABLE_HERE = ("piper", "kokoro", "espeak")
"""Engines that run in the server's own environment (no extra, no GPU)."""


def _implemented() -> tuple[str, ...]:
    """Every engine whose adapter module exists in this build."""
    registry = load_registry(REPO_MODELS_YAML)
    return tuple(m for m, s in registry.models.items()
                 if module_available(s.adapter.partition(":")[0]))


IMPLEMENTED = _implemented()

# registry capability -> adapter class flag
CAPABILITY_FLAGS = {
    "speed": "supports_speed",
    "pitch": "supports_pitch",
    "voice_cloning": "supports_voice_cloning",
    "streaming": "supports_streaming",
    "instructions": "supports_instructions",
    "text_normalization": "supports_text_normalization",
}

ORPHEUS_REPO = "canopylabs/orpheus-3b-0.1-ft"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REPO_MODELS_YAML)


def test_settings_point_at_the_repository_registry() -> None:
    assert Settings(_env_file=None).models_config.resolve() == REPO_MODELS_YAML  # type: ignore[call-arg]


def test_registry_lists_exactly_the_specified_models(registry: Registry) -> None:
    assert sorted(registry.models) == sorted(EXPECTED_GROUPS)
    for model_id, spec in registry.models.items():
        assert spec.id == model_id


@pytest.mark.parametrize(("model_id", "group"), sorted(EXPECTED_GROUPS.items()))
def test_model_group(registry: Registry, model_id: str, group: str) -> None:
    spec = registry.get(model_id)
    assert spec.group == group
    assert spec.queue == group


def test_queue_map_is_model_id_to_group(registry: Registry) -> None:
    assert registry.queue_map == EXPECTED_GROUPS
    assert registry.queue_map == {m: s.group for m, s in registry.models.items()}


def test_groups_collect_the_models_of_each_queue(registry: Registry) -> None:
    groups = {group: sorted(s.id for s in specs) for group, specs in registry.groups.items()}
    assert groups["tts.cpu"] == ["espeak", "piper"]
    assert groups["tts.f5-tts"] == ["chatterbox", "cosyvoice", "f5-tts", "parler"]
    assert groups["tts"] == ["vibevoice"]
    assert set(groups) == set(EXPECTED_GROUPS.values())


def test_only_kokoro_is_standby(registry: Registry) -> None:
    assert registry.get("kokoro").standby is True
    assert [m for m, s in registry.models.items() if s.standby] == ["kokoro"]


def test_parallel_groups(registry: Registry) -> None:
    assert registry.is_parallel_group("tts.cpu") is True
    assert registry.is_parallel_group("tts.kokoro") is False
    assert registry.is_parallel_group("tts") is False


def test_unknown_model_error_names_the_valid_ids(registry: Registry) -> None:
    with pytest.raises(UnknownModelError) as info:
        registry.get("nope")
    message = str(info.value)
    assert "nope" in message
    for model_id in EXPECTED_GROUPS:
        assert model_id in message
    assert isinstance(info.value, LookupError)


@pytest.mark.parametrize("model_id", IMPLEMENTED)
def test_capabilities_match_the_adapter_flags(registry: Registry, model_id: str) -> None:
    spec = registry.get(model_id)
    cls = spec.engine_class()
    assert cls.model_id == model_id
    assert set(CAPABILITY_FLAGS) == set(CAPABILITIES)
    for capability, flag in CAPABILITY_FLAGS.items():
        assert (capability in spec.capabilities) == getattr(cls, flag), (model_id, capability)


REGISTRY_FACTS = ("model_name", "description", "vram_gb_estimate", "runtime",
                  *CAPABILITY_FLAGS.values())


@pytest.mark.parametrize("model_id", IMPLEMENTED)
def test_adapters_do_not_redeclare_what_the_registry_holds(registry: Registry,
                                                           model_id: str) -> None:
    """The registry is the only list: an adapter module writes none of its entry's facts, and
    the class the registry hands out carries them all."""
    spec = registry.get(model_id)
    bound = spec.engine_class()
    adapter = bound.__mro__[1]
    assert adapter.__name__ == bound.__name__ and adapter.__module__ == bound.__module__
    for klass in adapter.__mro__:
        if klass.__module__ != "openspeakers.engines.base":
            assert not set(REGISTRY_FACTS) & set(vars(klass)), (model_id, klass)
    assert (bound.model_name, bound.description) == (spec.name, spec.description)
    assert bound.vram_gb_estimate == spec.vram_gb
    assert bound.runtime is registry.runtime
    assert isinstance(spec.create(), adapter) and spec.engine_class() is bound


def test_two_registries_bind_their_own_settings(tmp_path: Path) -> None:
    one = load_registry(REPO_MODELS_YAML, Runtime(Settings(
        model_cache_dir=tmp_path / "one", _env_file=None)))  # type: ignore[call-arg]
    two = load_registry(REPO_MODELS_YAML, Runtime(Settings(
        model_cache_dir=tmp_path / "two", _env_file=None)))  # type: ignore[call-arg]
    engines = [r.get("piper").create() for r in (one, two)]
    assert [e.runtime.settings.model_cache_dir for e in engines] == [tmp_path / "one",
                                                                      tmp_path / "two"]
    assert one.get("piper").engine_class() is not two.get("piper").engine_class()


def test_implemented_engines_have_the_expected_capabilities(registry: Registry) -> None:
    # Pin the values too, so the comparison above cannot pass with everything False.
    assert set(registry.get("piper").capabilities) == {"speed"}
    assert set(registry.get("kokoro").capabilities) == {"speed"}
    assert set(registry.get("espeak").capabilities) == {"speed", "pitch"}
    assert set(registry.get("orpheus").capabilities) == {"streaming"}
    assert set(registry.get("cosyvoice").capabilities) == {"voice_cloning", "streaming",
                                                          "instructions", "text_normalization"}
    assert set(registry.get("fish-speech").capabilities) == {"voice_cloning", "streaming",
                                                            "text_normalization"}
    assert set(registry.get("parler").capabilities) == {"instructions"}
    assert set(registry.get("f5-tts").capabilities) == {"voice_cloning", "speed"}


def test_every_registered_engine_is_implemented(registry: Registry) -> None:
    assert set(IMPLEMENTED) == set(registry.models)


def _write_yaml(path: Path, capabilities: str) -> Path:
    path.write_text(
        "models:\n"
        "  demo:\n"
        "    name: Demo\n"
        "    adapter: openspeakers.engines.espeak:EspeakEngine\n"
        "    group: tts.cpu\n"
        f"    capabilities: {capabilities}\n",
        encoding="utf-8",
    )
    return path


def test_known_capabilities_load(tmp_path: Path) -> None:
    registry = load_registry(_write_yaml(tmp_path / "models.yaml", "[speed, pitch]"))
    assert registry.get("demo").capabilities == ("speed", "pitch")


def test_unknown_capability_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="telepathy"):
        load_registry(_write_yaml(tmp_path / "models.yaml", "[speed, telepathy]"))


def test_empty_registry_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "models.yaml"
    path.write_text("models: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no models"):
        load_registry(path)


# --- availability ---------------------------------------------------------------------------


@pytest.fixture
def no_gpu_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    """This build has no GPU stack: the orpheus extra's modules are missing, and no CUDA."""
    real = availability.module_available
    missing = {"snac", "transformers", "torch"}
    monkeypatch.setattr(availability, "module_available",
                        lambda name: name not in missing and real(name))
    monkeypatch.setattr(availability, "cuda_device_present", lambda: False)


def _fake_snapshot(cache: Path, repo: str, with_file: bool = True) -> Path:
    snapshot = cache / f"models--{repo.replace('/', '--')}" / "snapshots" / "0123456789abcdef"
    snapshot.mkdir(parents=True)
    if with_file:
        (snapshot / "config.json").write_text("{}", encoding="utf-8")
    return snapshot


@pytest.mark.usefixtures("no_gpu_extras")
def test_gpu_engine_without_extra_weights_or_cuda_is_unavailable(
        registry: Registry, settings: Settings) -> None:
    result = availability.check(registry.get("orpheus"), settings.model_cache_dir)
    assert result.available is False
    assert len(result.reasons) == 3
    text = result.reason or ""
    assert "openspeakers[orpheus]" in text and "make worker-env GROUP=tts.orpheus" in text
    assert "snac" in text
    assert ORPHEUS_REPO in text
    assert "no CUDA" in text


@pytest.mark.usefixtures("no_gpu_extras")
def test_cached_weights_remove_only_the_weights_reason(
        registry: Registry, settings: Settings) -> None:
    spec = registry.get("orpheus")
    cache = settings.model_cache_dir
    _fake_snapshot(cache, ORPHEUS_REPO)
    result = availability.check(spec, cache)
    assert result.available is False
    assert not any(ORPHEUS_REPO in reason for reason in result.reasons)
    assert any("openspeakers[orpheus]" in reason for reason in result.reasons)
    assert any("no CUDA" in reason for reason in result.reasons)


@pytest.mark.usefixtures("no_gpu_extras")
def test_an_empty_snapshot_does_not_count_as_cached(
        registry: Registry, settings: Settings) -> None:
    _fake_snapshot(settings.model_cache_dir, ORPHEUS_REPO, with_file=False)
    result = availability.check(registry.get("orpheus"), settings.model_cache_dir)
    assert any(ORPHEUS_REPO in reason for reason in result.reasons)


def test_cuda_reason_depends_on_the_device(registry: Registry, settings: Settings,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spec = registry.get("orpheus")
    monkeypatch.setattr(availability, "cuda_device_present", lambda: True)
    assert not any("CUDA" in r for r in availability.check(spec, settings.model_cache_dir).reasons)
    monkeypatch.setattr(availability, "cuda_device_present", lambda: False)
    assert any("no CUDA" in r for r in availability.check(spec, settings.model_cache_dir).reasons)


@pytest.mark.usefixtures("no_gpu_extras")
def test_missing_code_names_the_worker_environment_or_the_source(
        registry: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = availability.check(registry.get("orpheus"), settings.model_cache_dir).reason or ""
    assert "`make worker-env GROUP=tts.orpheus`" in reason
    monkeypatch.setattr(availability, "module_available", lambda name: False)
    cosy = availability.check(registry.get("cosyvoice"), settings.model_cache_dir).reason or ""
    assert "https://github.com/FunAudioLLM/CosyVoice, not PyPI" in cosy
    assert "`make worker-env GROUP=tts.f5-tts SOURCE=1`" in cosy


def test_vram_estimate_over_the_budget_is_a_reason(registry: Registry, settings: Settings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(availability, "cuda_device_present", lambda: True)
    spec = registry.get("dia")  # vram_gb 10
    over = availability.check(spec, settings.model_cache_dir, vram_budget_gb=8.0).reasons
    assert "not enough GPU memory: needs about 10 GB, 8.0 GB available" in " ".join(over)
    fits = availability.check(spec, settings.model_cache_dir, vram_budget_gb=80.0).reasons
    assert not any("GPU memory" in r for r in fits)
    cpu = availability.check(registry.get("kokoro-torch"), settings.model_cache_dir,
                             vram_budget_gb=0.1).reasons  # `auto` falls back to the CPU
    assert not any("GPU memory" in r or "CUDA" in r for r in cpu)


def test_check_here_reads_the_budget_from_gpu_vram_gb(
        registry: Registry, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(availability, "cuda_device_present", lambda: True)
    limited = settings.model_copy(update={"gpu_vram_gb": 4.0})
    assert "needs about 8 GB, 4.0 GB" in (availability.check_here(registry.get("orpheus"),
                                                                  limited).reason or "")


def test_disabled_model_is_unavailable(registry: Registry, settings: Settings) -> None:
    spec: ModelSpec = dataclasses.replace(registry.get("piper"), enabled=False)
    result = availability.check(spec, settings.model_cache_dir)
    assert result.available is False
    assert any("disabled" in reason for reason in result.reasons)


@pytest.mark.parametrize("model_id", AVAILABLE_HERE)
def test_implemented_engines_are_available(registry: Registry, settings: Settings,
                                           model_id: str) -> None:
    result = availability.check(registry.get(model_id), settings.model_cache_dir)
    assert result.available is True, result.reason
    assert result.reasons == ()
    assert result.reason is None
