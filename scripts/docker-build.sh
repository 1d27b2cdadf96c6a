#!/usr/bin/env bash
# Build the image on a machine that reaches Debian's mirror and a package index but no image
# registry: the base from Debian's packages (scripts/docker-base.sh), this machine's pip settings
# and CA bundle as build secrets (scripts/pip_build_secrets.py), and the host's network, the only
# one such an engine has (dockerd --bridge=none). Elsewhere `docker build -t traceobject .` is all.
#
#   scripts/docker-build.sh [TAG]      (default traceobject; as root)
#
# Environment: BASE_IMAGE (skip docker-base.sh and build on this one), DOCKER (the client).
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${1:-traceobject}

# The build secrets need BuildKit: a client with the buildx plugin, or else Debian's docker.io
# client, whose BuildKit is built in (a newer client without buildx has only the old builder).
if [ -z "${DOCKER:-}" ]; then
  if docker buildx version >/dev/null 2>&1; then
    DOCKER=docker
  elif [ -x /usr/bin/docker ]; then
    DOCKER=/usr/bin/docker
  else
    DOCKER=docker
  fi
fi
export DOCKER

BASE=${BASE_IMAGE:-$(scripts/docker-base.sh)}
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
SECRETS=$(mktemp -d)
trap 'rm -rf "$SECRETS"' EXIT
mapfile -t SECRET_ARGS < <("$PY" scripts/pip_build_secrets.py "$SECRETS")

DOCKER_BUILDKIT=1 "$DOCKER" build --network host --progress plain \
  --build-arg BASE_IMAGE="$BASE" "${SECRET_ARGS[@]}" -t "$TAG" .
