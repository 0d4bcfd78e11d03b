#!/usr/bin/env bash
# VibeVoice Realtime 0.5B and its preset voices into the `tts` worker environment, from the
# microsoft/VibeVoice source release (its streaming classes are not in PyPI's vibevoice 0.0.1).
# Needs GitHub access; not run in CI.
#   bash scripts/install_vibevoice_realtime_source.sh .venv-tts/bin/python
# The release uses the package name `vibevoice` and dropped the 1.5B inference class, so the
# 1.5B model lives in its own group (tts.vibevoice-1.5b, PyPI's 0.0.1).
set -euo pipefail
PY="${1:?usage: install_vibevoice_realtime_source.sh PYTHON}"
HERE="$(cd "$(dirname "$0")" && pwd)"
bash "$HERE/install_vibevoice_source.sh" "$PY"
DEST="${MODEL_CACHE_DIR:-./model_cache}/src/VibeVoice"
"$PY" -m pip --disable-pip-version-check install -e "$DEST[streamingtts]"
