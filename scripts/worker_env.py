"""Build the virtual environment of one queue group: `make worker-env GROUP=tts.dia`.

The engines of a group (configs/models.yaml) share one environment, so their pins must agree.
Steps: create `.venv-<group>`, install the CPU/CUDA torch that lies on disk (`torch==2.13.0`,
never a download of another build), then `pip install -e '.[extra,...]'` for the group's engines
with torch held by a constraint, then each engine's scripted step (scripts/install_<extra>.sh,
for engines whose official code is not a usable PyPI package), then the torchaudio fix.

Usage: python scripts/worker_env.py GROUP [--python python3.11] [--source] [--with-test]

Container images run the same script into the image's own virtual environment
(`--venv /opt/venv --deps-only`, see Dockerfile): torch is already there (the CPU or the CUDA
build, chosen by a build argument), and only pyproject.toml, the registry and the install
scripts have been copied yet, so the dependency layers stay cached when the source changes.
A group with no extras (tts.cpu, the API) then installs the server alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess  # noqa: S404 - runs pip and venv, the whole point of this script
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH = "torch==2.13.0"


def _pyproject() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _yaml():  # type: ignore[no-untyped-def]
    """PyYAML, installed first (at the project's pin) where this runs in a bare interpreter:
    an image's dependency layer, where the target environment holds only torch yet."""
    try:
        import yaml
    except ImportError:
        pin = next(r for r in _pyproject()["project"]["dependencies"]
                   if r.lower().startswith("pyyaml"))
        run(sys.executable, "-m", "pip", "--disable-pip-version-check", "install", pin)
        import yaml
    return yaml


def group_extras(group: str, models_yaml: Path = ROOT / "configs" / "models.yaml") -> list[str]:
    models = (_yaml().safe_load(models_yaml.read_text(encoding="utf-8")) or {}).get("models") or {}
    groups = sorted({m.get("group") for m in models.values()})
    if group not in groups:
        raise SystemExit(f"unknown group '{group}'; groups: {', '.join(groups)}")
    extras = [m["extra"] for m in models.values() if m.get("group") == group and m.get("extra")]
    return list(dict.fromkeys(extras))


def test_runner_pins() -> list[str]:
    """pytest, pytest-asyncio and httpx as pinned in the `test` extra (tests/conftest imports
    httpx); not the whole extra, whose ASR and client packages the engine tests do not use."""
    test = _pyproject()["project"]["optional-dependencies"]["test"]
    return [r for r in test if r.split("==")[0] in ("pytest", "pytest-asyncio", "httpx")]


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, env=env)  # noqa: S603


def fix_torchaudio(python: Path) -> None:
    """PyPI's newest torchaudio (2.11.1) is a CUDA build whose C library does not load beside
    torch 2.13; without its .so files it runs in pure Python (Resample, MelSpectrogram, fbank)."""
    code = ("import importlib.util, pathlib; s = importlib.util.find_spec('torchaudio');"
            "print(pathlib.Path(s.origin).parent / 'lib' if s else '')")
    out = subprocess.run([str(python), "-c", code], check=True, capture_output=True,  # noqa: S603
                         text=True).stdout.strip()
    if not out:
        return
    lib = Path(out)
    aside = lib.parent / "lib.disabled"
    aside.mkdir(exist_ok=True)
    for so in lib.glob("*.so"):
        so.rename(aside / so.name)
        print(f"moved {so.name} aside (torchaudio pure-Python mode)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group")
    parser.add_argument("--python", default=os.environ.get("PYTHON", "python3.11"))
    parser.add_argument("--venv", type=Path, help="default: .venv-<group>")
    parser.add_argument("--print-extras", action="store_true")
    parser.add_argument("--with-test", action="store_true",
                        help="also install pytest (pins from the `test` extra) for tests/engines")
    parser.add_argument("--deps-only", action="store_true",
                        help="the source tree is not copied yet (an image's dependency layer): "
                             "skip the final import check")
    parser.add_argument("--source", action="store_true",
                        help="also run the source installs that fetch from GitHub "
                             "(cosyvoice, fish-speech, vibevoice realtime)")
    args = parser.parse_args()
    extras = group_extras(args.group)
    if args.print_extras:
        print(",".join(extras))
        return
    if not extras and not args.venv:
        raise SystemExit(f"group '{args.group}' has no engine extras: the server venv serves it")
    venv = args.venv or ROOT / f".venv-{args.group}"
    python = venv / "bin" / "python"
    started = time.monotonic()
    if not python.exists():
        run(args.python, "-m", "venv", venv)
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as cons:
        cons.write(f"{TORCH}\n")
    env = {**os.environ, "PIP_CONSTRAINT": " ".join(filter(None, [
        os.environ.get("PIP_CONSTRAINT", ""), cons.name]))}
    run(*pip, "install", TORCH, env=env)
    target = f"{ROOT}[{','.join(extras)}]" if extras else str(ROOT)
    run(*pip, "install", "-e", target, env=env)
    for extra in extras:
        name = extra.replace("-", "_")
        script = ROOT / "scripts" / f"install_{name}.sh"
        if script.exists():
            run("bash", script, python, env=env)
        source = ROOT / "scripts" / f"install_{name}_source.sh"
        if source.exists():
            if args.source:
                run("bash", source, python, env=env)
            else:
                print(f"skipped {source.name} (fetches from GitHub): SOURCE=1 to run it",
                      file=sys.stderr)
    if args.with_test:
        run(*pip, "install", *test_runner_pins(), env=env)
    fix_torchaudio(python)
    if not args.deps_only:
        run(python, "-c", "import openspeakers.engines.hf")
    os.unlink(cons.name)
    print(f"{venv}: extras {extras} in {time.monotonic() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
