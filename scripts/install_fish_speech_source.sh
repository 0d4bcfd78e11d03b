#!/usr/bin/env bash
# Fish Audio S2-Pro code into a worker environment, from the fishaudio/fish-speech source release
# (PyPI's fish-speech 0.1.0 is the older S1 code). Needs GitHub access; not run in CI.
#   bash scripts/install_fish_speech_source.sh .venv-tts.fish-speech/bin/python [DEST]
# Upstream pins torch==2.8.0; the package goes in with --no-deps and its dependencies beside
# torch 2.13 (untested on a GPU here: check with scripts/smoke_all_models.py).
set -euo pipefail
PY="${1:?usage: install_fish_speech_source.sh PYTHON [DEST]}"
REV="${FISH_SPEECH_REV:-v2.0.0}"
DEST="${2:-${MODEL_CACHE_DIR:-./model_cache}/src/fish-speech}"
if [ ! -d "$DEST/.git" ]; then
  git clone https://github.com/fishaudio/fish-speech.git "$DEST"
fi
git -C "$DEST" fetch --quiet --tags origin && git -C "$DEST" checkout --quiet "$REV"
"$PY" -m pip --disable-pip-version-check install --no-deps -e "$DEST"
"$PY" -m pip --disable-pip-version-check install "transformers<=4.57.3" einx loguru hydra-core \
  omegaconf pydantic ormsgpack tiktoken vector-quantize-pytorch descript-audio-codec \
  descript-audiotools natsort cachetools zstandard lightning "setuptools<81" torchaudio==2.11.1
"$PY" -c "from fish_speech.inference_engine import TTSInferenceEngine; print('fish-speech ok')"
