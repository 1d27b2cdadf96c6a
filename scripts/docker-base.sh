#!/usr/bin/env bash
# A base image for the Dockerfile made here from Debian's own packages, for machines that reach
# Debian's mirror but no image registry: debootstrap (bookworm, minbase) plus Debian's Python
# 3.11, imported with `docker import`. It stands in for python:3.11-slim-bookworm, which the
# Dockerfile uses everywhere else (docs/operations.md, "The image").
#
#   scripts/docker-base.sh [--rebuild]      (as root; prints the tag)
#
# Environment: BASE_TAG (default traceobject-base:bookworm), DEBIAN_MIRROR (default: the first
# Debian mirror in this machine's apt sources), DOCKER (the docker client).
set -euo pipefail

TAG=${BASE_TAG:-traceobject-base:bookworm}
DOCKER=${DOCKER:-docker}
SUITE=bookworm
# python -m venv needs python3.11-venv and python3-distutils, which provides the virtual
# python3.11-distutils that python3.11-venv depends on (debootstrap does not resolve virtual
# packages); `python` is python-is-python3, as in python:3.11-slim; ca-certificates and netbase
# are in that image too.
PACKAGES=python3.11,python3.11-venv,python3-distutils,python-is-python3,ca-certificates,netbase

if [ "${1:-}" != "--rebuild" ] && "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  echo "$TAG"
  exit 0
fi

mirror() {
  # deb822 .sources files (URIs: ...) and one-line sources.list entries (deb URL suite ...),
  # the first one that serves Debian's main archive (not the security suites).
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list)
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    awk '
      /^[[:space:]]*#/ { next }
      /^URIs:/ { for (i = 2; i <= NF; i++) print $i }
      /^deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break } }
    ' "$f"
  done | grep -E '^https?://' | grep -v -- '-security' | grep -E '/debian/?$' | head -n1
}

MIRROR=${DEBIAN_MIRROR:-$(mirror)}
if [ -z "$MIRROR" ]; then
  echo "docker-base: no Debian mirror found in /etc/apt/sources*; set DEBIAN_MIRROR" >&2
  exit 1
fi
command -v debootstrap >/dev/null || {
  echo "docker-base: debootstrap is not installed (apt-get install debootstrap)" >&2
  exit 1
}

ROOT=$(mktemp -d /var/tmp/traceobject-base.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
echo "--- debootstrap $SUITE (minbase) from $MIRROR" >&2
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 || {
  tail -n 30 "$ROOT.log" >&2
  rm -f "$ROOT.log"
  exit 1
}
rm -f "$ROOT.log"

# Nothing an image needs: package lists and downloaded .debs, documentation, logs.
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/log/* \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*
"$ROOT"/usr/bin/python3.11 --version >&2

tar -C "$ROOT" --numeric-owner -c . | "$DOCKER" import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  --message "debootstrap $SUITE minbase + $PACKAGES from $MIRROR" \
  - "$TAG" >/dev/null
echo "$TAG"
