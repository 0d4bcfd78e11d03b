#!/usr/bin/env bash
# VibeVoice Realtime 0.5B and the preset voices into a worker environment. Needs GitHub access;
# not run in CI.   bash scripts/install_vibevoice_source.sh .venv-tts/bin/python
# The PyPI vibevoice 0.0.1 (the `vibevoice` extra) is the 1.5B long-form code; the Realtime
# model's classes exist only in the GitHub release, which dropped the 1.5B inference class and
# uses the same package name. So this REPLACES the 1.5B code in that environment unless
# VIBEVOICE_KEEP_LARGE=1 (then only the voices are copied). The two models cannot share one
# environment today: give vibevoice-1.5b its own group if both are needed on one host.
set -euo pipefail
PY="${1:?usage: install_vibevoice_source.sh PYTHON}"
REV="${VIBEVOICE_REV:-main}"
DEST="${MODEL_CACHE_DIR:-./model_cache}/src/VibeVoice"
VOICES="${MODEL_CACHE_DIR:-./model_cache}/vibevoice-voices"
if [ ! -d "$DEST/.git" ]; then
  git clone https://github.com/microsoft/VibeVoice.git "$DEST"
fi
git -C "$DEST" fetch --quiet origin && git -C "$DEST" checkout --quiet "$REV"
mkdir -p "$VOICES"
cp -r "$DEST"/demo/voices/* "$VOICES"/
if [ "${VIBEVOICE_KEEP_LARGE:-0}" != 1 ]; then
  "$PY" -m pip --disable-pip-version-check install -e "$DEST[streamingtts]"
fi
echo "voices in $VOICES"
