"""The engine registry: configs/models.yaml read once, and everything derived from it."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from openspeakers.engines.base import TTSModelBase
from openspeakers.runtime import Runtime

CAPABILITIES = ("speed", "pitch", "voice_cloning", "streaming", "instructions",
                "text_normalization")
OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage",
                 "shimmer", "verse", "marin", "cedar")


class UnknownModelError(LookupError):
    """A model id that is not in the registry; the message names the valid ones."""


@dataclass(frozen=True)
class ModelSpec:
    id: str
    name: str
    adapter: str
    group: str
    description: str = ""
    device: str = "cpu"
    standby: bool = False
    enabled: bool = True
    parallel: bool = False
    idle_timeout: float | None = None
    vram_gb: float = 0.0
    languages: tuple[str, ...] = ()
    license: str = ""
    extra: str | None = None
    requires: tuple[str, ...] = ()
    hf_repo: str | None = None
    source: str | None = None
    """Where the engine's code comes from when it is not a PyPI package (a GitHub release)."""
    capabilities: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    openai_voices: dict[str, str] = field(default_factory=dict)
    runtime: Runtime = field(default_factory=Runtime, compare=False, repr=False)
    """The process's settings and services, handed to the engines this entry builds."""

    @property
    def queue(self) -> str:
        return self.group

    def engine_class(self) -> type[TTSModelBase]:
        """The adapter class with this entry's name, capability flags and VRAM estimate set, and
        the registry's runtime (its class methods, such as `builtin_voices`, read settings from
        it): a subclass made once per spec, so adapters never re-declare what the registry
        holds, and two registries in one process never overwrite each other's."""
        return self._bound_class

    def create(self, defaults: Mapping[str, Any] | None = None) -> TTSModelBase:
        """An unloaded engine with this entry's parameters over `defaults` (options every
        engine of the process gets, e.g. ONNX threads: Settings.engine_options)."""
        return self.engine_class()({**(defaults or {}), **self.params})

    @cached_property
    def _bound_class(self) -> type[TTSModelBase]:
        module_name, _, class_name = self.adapter.partition(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        if not (isinstance(cls, type) and issubclass(cls, TTSModelBase)):
            raise TypeError(f"{self.adapter} is not a TTSModelBase")
        flags = {f"supports_{name}": name in self.capabilities for name in CAPABILITIES}
        return type(cls.__name__, (cls,), {
            "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__, "model_id": self.id, "model_name": self.name,
            "description": self.description, "vram_gb_estimate": self.vram_gb,
            "runtime": self.runtime, **flags})


@dataclass(frozen=True)
class Registry:
    models: dict[str, ModelSpec]
    openai_models: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """OpenAI model name -> registry ids in order of preference."""
    runtime: Runtime = field(default_factory=Runtime, compare=False, repr=False)

    def get(self, model_id: str) -> ModelSpec:
        try:
            return self.models[model_id]
        except KeyError:
            raise UnknownModelError(f"unknown model '{model_id}'; valid models: "
                                    f"{', '.join(self.models)}") from None

    @cached_property
    def queue_map(self) -> dict[str, str]:
        """QUEUE_MAP: model id -> queue name. Derived here and nowhere else."""
        return {model_id: spec.queue for model_id, spec in self.models.items()}

    @cached_property
    def groups(self) -> dict[str, list[ModelSpec]]:
        out: dict[str, list[ModelSpec]] = {}
        for spec in self.models.values():
            out.setdefault(spec.group, []).append(spec)
        return out

    def is_parallel_group(self, group: str) -> bool:
        """A group whose engines are all `parallel` (cheap CPU engines) may run several workers."""
        return all(spec.parallel for spec in self.groups[group])


def load_registry(path: Path, runtime: Runtime | None = None) -> Registry:
    """The registry at `path`, its engines bound to `runtime` (the entry point's settings;
    defaults, not the environment, when left out)."""
    runtime = runtime or Runtime()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    models: dict[str, ModelSpec] = {}
    for model_id, entry in (raw.get("models") or {}).items():
        entry = dict(entry)
        for key in ("languages", "requires", "capabilities"):
            entry[key] = tuple(entry.get(key) or ())
        entry["params"] = dict(entry.get("params") or {})
        entry["openai_voices"] = dict(entry.get("openai_voices") or {})
        stray = set(entry["openai_voices"]) - set(OPENAI_VOICES)
        if stray:
            raise ValueError(f"{path}: model '{model_id}' maps unknown OpenAI voices {stray}")
        unknown = set(entry["capabilities"]) - set(CAPABILITIES)
        if unknown:
            raise ValueError(f"{path}: model '{model_id}' has unknown capabilities {unknown}")
        models[model_id] = ModelSpec(id=model_id, runtime=runtime, **entry)
    if not models:
        raise ValueError(f"{path}: no models defined")
    aliases = {name: tuple(ids) for name, ids in (raw.get("openai_models") or {}).items()}
    for name, ids in aliases.items():
        if unknown_ids := set(ids) - set(models):
            raise ValueError(f"{path}: openai model '{name}' lists unknown ids {unknown_ids}")
    return Registry(models, aliases, runtime)


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
