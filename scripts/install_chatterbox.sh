#!/usr/bin/env bash
# Chatterbox into a worker environment (run by `make worker-env` for groups holding chatterbox).
# chatterbox-tts 0.1.7 pins torch==2.6.0, torchaudio==2.6.0 and transformers==5.2.0, none of which
# can stand beside torch 2.13: the package and s3tokenizer (which wants pre-commit and torchaudio)
# go in with --no-deps; their real dependencies are the `chatterbox` extra in pyproject.toml.
# `pip check` then reports the torch/torchaudio pins; the engine runs regardless (measured on CPU).
set -euo pipefail
PY="${1:?usage: install_chatterbox.sh PYTHON}"
"$PY" -m pip --disable-pip-version-check install --no-deps chatterbox-tts==0.1.7 s3tokenizer==0.3.0
"$PY" -c "import chatterbox.tts" 2>/dev/null || echo "note: chatterbox imports after the torchaudio fix"
