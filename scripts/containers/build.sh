#!/usr/bin/env bash
# Build one of the project's images with podman on this machine kind, the way CI does:
#   scripts/containers/build.sh TAG TARGET [--build-arg K=V ...]
#   scripts/containers/build.sh openspeakers-worker-kokoro:ci worker --build-arg GROUP=tts.kokoro
#
# What differs from a user's `docker compose build` is only how packages reach the build:
# --network host, and the host's package-client set-up mounted read-only into every RUN step
# (not into the image): the CA bundle that trusts this machine's proxy, pip's and npm's
# configuration and the local wheel directories they point at (the CPU torch wheel lies in
# /opt/wheels). TORCH_INDEX_URL is emptied because download.pytorch.org is not reachable here;
# pip's configuration finds torch==2.13.0+cpu on disk instead.
# Prints the build time and the image size.
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${1:?usage: build.sh TAG TARGET [podman build options]}
target=${2:?usage: build.sh TAG TARGET [podman build options]}
shift 2

mounts=()
mount_ro() { [ -e "$1" ] && mounts+=(-v "$1:$2:ro") || true; }
mount_ro /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
mount_ro /etc/pip.conf /etc/pip.conf
mount_ro "$HOME/.config/pip/pip.conf" /etc/xdg/pip/pip.conf
mount_ro /etc/npmrc /usr/local/etc/npmrc
for dir in /opt/wheels /opt/pypi /opt/pypi-more; do mount_ro "$dir" "$dir"; done

started=$(date +%s)
podman build --format docker --network host "${mounts[@]}" --target "$target" \
  --build-arg TORCH_INDEX_URL= "$@" -t "$tag" . 2>&1 | sed -u "s|^|[$tag] |"
took=$(( $(date +%s) - started ))
size=$(podman image inspect --format '{{.Size}}' "$tag")
echo "built $tag (target $target) in ${took}s: $((size / 1000000)) MB"
