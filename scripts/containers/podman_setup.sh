#!/usr/bin/env bash
# Make this machine able to build and run the project's images with podman, the way CI does.
# Idempotent: every step checks first, so a second run takes a few seconds.
#
#  1. apt: podman, runc, Debian's docker-compose (the Compose v1 client, which speaks to
#     `podman system service`: profiles and `depends_on: condition: service_healthy` work),
#     debootstrap.
#  2. /etc/containers/containers.conf: runc and cgroupfs (crun and systemd cgroups are refused
#     on this machine kind), default_ulimits = [] (the default ulimits are refused too).
#  3. Base images under the names the Dockerfiles use, since no container registry is
#     reachable here: a Debian bookworm root made by `debootstrap --variant=minbase` and
#     `podman import`ed, then
#       python:3.11-slim-bookworm   = that root + Debian's python3 (3.11), its venv module and
#                                     headers (the official image has them too)
#       node:20-bookworm-slim       = that root + this host's Node.js 20 (Debian ships 18)
#     The tarball is cached in $OS_CACHE (default /var/cache/openspeakers-containers), so the
#     2-minute debootstrap runs once per machine.
# On a machine with a registry none of step 3 is needed: the same Dockerfiles pull the
# official images.
set -euo pipefail

CACHE=${OS_CACHE:-/var/cache/openspeakers-containers}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$CACHE"
log() { echo "podman_setup: $*"; }

need=()
for cmd in podman runc docker-compose debootstrap; do
  command -v "$cmd" >/dev/null || need+=("$cmd")
done
[ -x /usr/lib/podman/netavark ] || need+=(netavark)  # networks with DNS between services
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc netavark aardvark-dns docker-compose debootstrap \
    >/dev/null
fi

CONF=/etc/containers/containers.conf
if ! grep -qs '^default_ulimits = \[\]' "$CONF"; then
  log "writing $CONF"
  mkdir -p /etc/containers
  cat >"$CONF" <<'CONF'
# Written by scripts/containers/podman_setup.sh (this machine kind refuses crun, systemd
# cgroups and podman's default ulimits).
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
fi

has_image() { podman image exists "$1"; }

if ! has_image localhost/debian-minbase:bookworm; then
  tarball=$CACHE/bookworm-minbase.tar
  if [ ! -s "$tarball" ]; then
    log "debootstrap --variant=minbase bookworm (about 2 minutes)"
    root=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
  fi
  podman import --change 'CMD ["/bin/bash"]' "$tarball" localhost/debian-minbase:bookworm >/dev/null
  podman tag localhost/debian-minbase:bookworm docker.io/library/debian:bookworm-slim
fi

# Stand-ins are built on the host network. apt fetches over plain http, so they need no CA
# mount (it would also stop ca-certificates from writing its bundle); the project's own builds
# mount the host's bundle for pip and npm (scripts/containers/build.sh).
build_standin() {  # name, Containerfile text; rebuilt when the text changes
  local name=$1 file sum
  sum=$(printf '%s' "$2" | sha256sum | cut -c1-16)
  [ "$(podman image inspect --format '{{index .Labels "io.openspeakers.standin"}}' "$name" \
    2>/dev/null)" = "$sum" ] && return 0
  log "building stand-in $name"
  file=$(mktemp)
  printf '%s\nLABEL io.openspeakers.standin=%s\n' "$2" "$sum" >"$file"
  podman build -q --network host -t "$name" -f "$file" "$CACHE" >/dev/null
  rm -f "$file"
}

build_standin docker.io/library/python:3.11-slim-bookworm '
FROM localhost/debian-minbase:bookworm
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3 python3-venv python3-dev ca-certificates >/dev/null \
    && ln -s /usr/bin/python3 /usr/local/bin/python && rm -rf /var/lib/apt/lists/*
CMD ["python3"]'

if ! has_image docker.io/library/node:20-bookworm-slim; then
  node=$(command -v node) || { log "Node.js 20 is needed on the host for the node stand-in"; exit 1; }
  ctx=$CACHE/node
  rm -rf "$ctx" && mkdir -p "$ctx/bin" "$ctx/lib"
  cp "$node" "$ctx/bin/node"
  cp -a /usr/lib/node_modules/npm "$ctx/lib/npm"
  cat >"$ctx/Containerfile" <<'NODE'
FROM localhost/debian-minbase:bookworm
COPY bin/node /usr/local/bin/node
COPY lib/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
       --no-install-recommends ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*
CMD ["node"]
NODE
  log "building stand-in docker.io/library/node:20-bookworm-slim from $node ($("$node" --version))"
  podman build -q --network host -t docker.io/library/node:20-bookworm-slim "$ctx" >/dev/null
fi

log "ready: $(podman --version), $(docker-compose version --short 2>/dev/null || echo docker-compose)"
