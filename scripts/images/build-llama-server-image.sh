#!/usr/bin/env bash
# Builds the llama.cpp test image (Debian sid's llama-server) from a debootstrapped root filesystem; no registry.
# Usage: build-llama-server-image.sh [TAG]   (skips when TAG exists; FORCE=1 rebuilds)
set -euo pipefail
tag="${1:-inference-autotuner/llama-server:test}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "image $tag exists"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is not installed" >&2; exit 1; }

root="$(mktemp -d /var/tmp/llama-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=llama.cpp-tools sid "$root" "$mirror" >"$root.log" 2>&1 || {
  tail -n 30 "$root.log" >&2
  exit 1
}
rm -f "$root.log"
# Shrink the image: package caches, lists and docs are not needed to run the server.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc \
  "$root"/usr/share/man "$root"/usr/share/locale
version="$(chroot "$root" llama-server --version 2>&1 | grep -m1 -i version || true)"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL org.opencontainers.image.title=llama-server org.opencontainers.image.version=\"${version//\"/}\"" \
  - "$tag" >/dev/null
echo "built $tag ($version)"
