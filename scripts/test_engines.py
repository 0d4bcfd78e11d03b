"""Run the tiny-model engine tests in each queue group's own environment: `make test-engines`.

For every group (default: each group with a tiny-model test for an engine whose code installs
from PyPI), build `.venv-<group>` with scripts/worker_env.py, then run the group's test files
(`tests/engines/test_tiny_<adapter module>.py`) there with ENGINE_TESTS_REQUIRED=1, so a test
whose package is missing fails instead of skipping. Prints a table: group, engines, install and
test seconds, outcome. Exit status: non-zero if any group failed.

Usage: python scripts/test_engines.py [GROUP ...] [--python python3.11]
"""

from __future__ import annotations

import argparse
import os
import subprocess  # noqa: S404 - builds environments and runs pytest in them
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "engines"


def group_tests(models_yaml: Path = ROOT / "configs" / "models.yaml") -> dict[str, list[Path]]:
    """group -> the tiny-model test files of its engines that install without GitHub."""
    models = (yaml.safe_load(models_yaml.read_text(encoding="utf-8")) or {})["models"]
    out: dict[str, list[Path]] = {}
    for spec in models.values():
        module = spec["adapter"].partition(":")[0].rsplit(".", 1)[-1]
        test = TESTS / f"test_tiny_{module}.py"
        if spec.get("extra") and not spec.get("source") and test.is_file():
            files = out.setdefault(spec["group"], [])
            if test not in files:
                files.append(test)
    return out


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[int, float]:
    print("+", " ".join(cmd), flush=True)
    started = time.monotonic()
    code = subprocess.run(cmd, env=env, check=False).returncode  # noqa: S603
    return code, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*")
    parser.add_argument("--python", default=os.environ.get("PYTHON", "python3.11"))
    args = parser.parse_args()
    tests = group_tests()
    groups = args.groups or sorted(tests)
    unknown = [g for g in groups if g not in tests]
    if unknown:
        print(f"no tiny-model tests for {unknown}; groups with tests: {sorted(tests)}",
              file=sys.stderr)
        return 2
    rows, failed = [], False
    for group in groups:
        # no byte-compiling of whole packages (torch alone has thousands of modules): the
        # tests import a small part of them, compiled as they load
        code, install_s = timed([sys.executable, str(ROOT / "scripts" / "worker_env.py"), group,
                                 "--python", args.python, "--with-test"],
                                {**os.environ, "PIP_NO_COMPILE": "1"})
        test_s, outcome = 0.0, "environment failed"
        if code == 0:
            python = ROOT / f".venv-{group}" / "bin" / "python"
            env = {**os.environ, "ENGINE_TESTS_REQUIRED": "1"}
            code, test_s = timed([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  *map(str, tests[group])], env)
            outcome = "passed" if code == 0 else f"pytest exit {code}"
        failed |= code != 0
        names = ", ".join(p.stem.removeprefix("test_tiny_") for p in tests[group])
        rows.append(f"| {group} | {names} | {install_s:.0f} s | {test_s:.0f} s | {outcome} |")
    print("\n| group | tests | install | tests run | outcome |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
