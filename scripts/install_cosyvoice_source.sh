#!/usr/bin/env bash
# CosyVoice 2 into a worker environment, from the official source (it is not a pip package:
# PyPI's `cosyvoice` is a broken third-party wrapper). Needs GitHub access; not run in CI.
#   bash scripts/install_cosyvoice_source.sh .venv-tts.f5-tts/bin/python [DEST]
# Clones FunAudioLLM/CosyVoice at a pinned commit (with its Matcha-TTS submodule) into DEST
# (default: MODEL_CACHE_DIR/src/CosyVoice), installs the inference dependencies beside torch
# 2.13 and puts both source trees on the environment's path with a .pth file.
set -euo pipefail
PY="${1:?usage: install_cosyvoice_source.sh PYTHON [DEST]}"
REV="${COSYVOICE_REV:-ace7c47}"
DEST="${2:-${MODEL_CACHE_DIR:-./model_cache}/src/CosyVoice}"
if [ ! -d "$DEST/.git" ]; then
  git clone --recursive https://github.com/FunAudioLLM/CosyVoice.git "$DEST"
fi
git -C "$DEST" fetch --quiet origin && git -C "$DEST" checkout --quiet "$REV"
git -C "$DEST" submodule update --init --recursive
# upstream's requirements.txt pins torch 2.3.1 and GPU-only packages; these are the ones that
# inference imports (openai-whisper without deps: only its log-mel code is used, no triton)
"$PY" -m pip --disable-pip-version-check install hyperpyyaml==1.2.3 inflect conformer==0.3.2 \
  diffusers==0.29.0 lightning omegaconf hydra-core gdown wget matplotlib rich onnxruntime \
  librosa==0.11.0 "setuptools<81" torchaudio==2.11.1 transformers x-transformers wetext
"$PY" -m pip --disable-pip-version-check install --no-deps openai-whisper==20250625
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
ABS="$(cd "$DEST" && pwd)"
printf '%s\n%s\n' "$ABS" "$ABS/third_party/Matcha-TTS" > "$SITE/cosyvoice_source.pth"
"$PY" -c "from cosyvoice.cli.cosyvoice import CosyVoice2; print('cosyvoice ok')"
