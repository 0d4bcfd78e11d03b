"""compose.yaml stays true to the registry and to .env.example: every queue group has exactly
one worker service built for it (the GPU groups under the `gpu` profile, with a device
reservation), and every variable compose reads is documented in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from openspeakers.engines.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
if not (ROOT / "compose.yaml").exists():  # inside an image: the deployment files are not there
    pytest.skip("compose.yaml is not in this tree (a container image)", allow_module_level=True)
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _workers() -> dict[str, dict]:
    """queue group -> its service, for services built from the `worker` target."""
    out = {}
    for name, service in COMPOSE["services"].items():
        build = service.get("build") or {}
        if build.get("target") == "worker":
            group = build["args"]["GROUP"]
            assert group not in out, f"{name} and {out[group]['name']} both serve {group}"
            out[group] = {**service, "name": name}
    return out


def test_every_queue_group_has_one_worker_service() -> None:
    registry = load_registry(ROOT / "configs" / "models.yaml")
    assert set(_workers()) == set(registry.groups)


def test_gpu_groups_are_under_the_gpu_profile_with_a_device_reservation() -> None:
    registry = load_registry(ROOT / "configs" / "models.yaml")
    for group, service in _workers().items():
        gpu = any(spec.device == "cuda" for spec in registry.groups[group])
        assert ("gpu" in service.get("profiles", [])) == gpu, service["name"]
        devices = (service.get("deploy", {}).get("resources", {}).get("reservations", {})
                   .get("devices", []))
        if gpu:
            assert devices and devices[0]["device_ids"] == ["${GPU_DEVICE_ID:-0}"]
            assert service["build"]["args"]["TORCH"].startswith("${GPU_TORCH:-torch==2.13.0")
        else:
            assert not devices


def test_every_compose_variable_is_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "compose.yaml").read_text()))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#? ?([A-Z0-9_]+)=", example, flags=re.M))
    assert used - documented == set(), f"not in .env.example: {sorted(used - documented)}"
