#!/usr/bin/env bash
# Builds the llama.cpp test image (Debian sid's llama-server) from a debootstrapped root filesystem; no registry.
# Usage: build-llama-server-image.sh [TAG]   (skips when TAG exists; FORCE=1 rebuilds)
set -euo pipefail
# Without a reachable daemon "image missing" cannot be told apart from "daemon down": stop here.
docker info >/dev/null 2>&1 || { echo "no Docker engine reachable; start dockerd first" >&2; exit 1; }
tag="${1:-inference-autotuner/llama-server:test}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "image $tag exists"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is not installed" >&2; exit 1; }

root="$(mktemp -d /var/tmp/llama-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
# sid first (the version the help fixture was captured from); testing when sid is mid-transition and uninstallable.
built=""
for suite in ${DEBIAN_SUITES:-sid testing}; do
  rm -rf "$root" && mkdir -p "$root"
  if debootstrap --variant=minbase --include=llama.cpp-tools "$suite" "$root" "$mirror" >"$root.log" 2>&1; then
    built="$suite"
    break
  fi
  echo "debootstrap of $suite failed:" >&2
  tail -n 15 "$root.log" >&2
done
rm -f "$root.log"
[ -n "$built" ] || exit 1
version="$(chroot "$root" llama-server --version 2>&1 | grep -m1 -i version || true)"

# A slim root with only llama-server, the libraries it links, and the ggml/llama plugins it loads at run time:
# Docker's vfs driver copies every file of the image for each container, so thousands of files cost seconds.
slim="$(mktemp -d /var/tmp/llama-slim.XXXXXX)"
trap 'rm -rf "$root" "$slim"' EXIT
libdir=/usr/lib/x86_64-linux-gnu
copy_in() { # copy_in PATH: the file behind PATH inside the chroot, stored at PATH in the slim root
  local real
  real="$(chroot "$root" readlink -f "$1")"
  mkdir -p "$slim$(dirname "$1")"
  cp "$root$real" "$slim$1"
}
for object in /usr/bin/llama-server $(cd "$root" && ls "${libdir#/}"/ggml/backends0/*.so "${libdir#/}"/llama/*.so | sed 's|^|/|'); do
  copy_in "$object"
  chroot "$root" ldd "$object" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
done | sort -u | while read -r lib; do copy_in "$lib"; done
mkdir -p "$slim/tmp" "$slim/etc"
chmod 1777 "$slim/tmp"
cp "$root/etc/ld.so.cache" "$slim/etc/ld.so.cache"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$slim/etc/passwd"

old_id="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
tar -C "$slim" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change "LABEL org.opencontainers.image.title=llama-server org.opencontainers.image.version=\"${version//\"/}\"" \
  - "$tag" >/dev/null
new_id="$(docker image inspect --format '{{.Id}}' "$tag")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
echo "built $tag from Debian $built ($version)"
