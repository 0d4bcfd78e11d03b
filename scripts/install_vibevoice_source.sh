#!/usr/bin/env bash
# The VibeVoice demo voices (recordings for the 1.5B model, prefilled prompt caches for the
# Realtime 0.5B) into MODEL_CACHE_DIR/vibevoice-voices, from the microsoft/VibeVoice source
# release. Needs GitHub access; not run in CI. VIBEVOICE_REV picks the revision (default main).
#   bash scripts/install_vibevoice_source.sh .venv-tts.vibevoice-1.5b/bin/python
set -euo pipefail
: "${1:?usage: install_vibevoice_source.sh PYTHON}"
REV="${VIBEVOICE_REV:-main}"
DEST="${MODEL_CACHE_DIR:-./model_cache}/src/VibeVoice"
VOICES="${MODEL_CACHE_DIR:-./model_cache}/vibevoice-voices"
if [ ! -d "$DEST/.git" ]; then
  git clone https://github.com/microsoft/VibeVoice.git "$DEST"
fi
git -C "$DEST" fetch --quiet origin && git -C "$DEST" checkout --quiet "$REV"
mkdir -p "$VOICES"
cp -r "$DEST"/demo/voices/* "$VOICES"/
echo "voices in $VOICES"
