#!/usr/bin/env bash
# Builds the simulated-engine test image: the host's node binary, the libraries ldd lists, and an esbuild bundle of
# the inference-sim CLI (or the test fixture server while the CLI does not exist), imported with `docker import`.
# Usage: build-sim-image.sh [TAG]   (rebuilds only when the bundled inputs changed; FORCE=1 always rebuilds)
set -euo pipefail
# Without a reachable daemon "image missing" cannot be told apart from "daemon down": stop here.
docker info >/dev/null 2>&1 || { echo "no Docker engine reachable; start dockerd first" >&2; exit 1; }
cd "$(dirname "$0")/../.."
tag="${1:-inference-autotuner/sim:test}"
node_bin="$(readlink -f "$(command -v node)")"

root="$(mktemp -d /var/tmp/sim-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/app" "$root/usr/local/bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"

cp test/support/fixture-server.mjs "$root/app/fixture-server.mjs"
if [ -f src/cli/inference-sim.ts ]; then
  # createRequire banner: bundled CommonJS dependencies may still call require() for Node built-ins.
  node_modules/.bin/esbuild src/cli/inference-sim.ts --bundle --platform=node --format=esm --target=node20 \
    --log-level=warning --loader:.json=json --outfile="$root/app/inference-sim.mjs" \
    --banner:js="import { createRequire as __autotunerCreateRequire } from 'node:module'; const require = __autotunerCreateRequire(import.meta.url);"
  if [ -d src/runtimes/registries ]; then cp -r src/runtimes/registries "$root/app/registries"; fi
  if [ -d src/sim/catalog ]; then cp -r src/sim/catalog "$root/app/catalog"; fi
else
  cp test/support/fixture-server.mjs "$root/app/inference-sim.mjs"
fi
printf '#!/usr/local/bin/node\nimport("/app/inference-sim.mjs");\n' >"$root/usr/local/bin/inference-sim"
printf '#!/usr/local/bin/node\nimport("/app/fixture-server.mjs");\n' >"$root/usr/local/bin/fixture-server"
chmod +x "$root/usr/local/bin/inference-sim" "$root/usr/local/bin/fixture-server"
echo 'root:x:0:0:root:/root:/sbin/nologin' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' >>"$root/etc/passwd"

hash="$( (sha256sum "$node_bin"; cd "$root" && find app usr etc -type f -print0 | sort -z | xargs -0 sha256sum) \
  | sha256sum | cut -c1-16)"
current="$(docker image inspect --format '{{index .Config.Labels "inference-autotuner.input-hash"}}' "$tag" 2>/dev/null || true)"
if [ "${FORCE:-0}" != 1 ] && [ "$current" = "$hash" ]; then
  echo "image $tag is up to date ($hash)"
  exit 0
fi

cp "$node_bin" "$root/usr/local/bin/node"
# Copy every shared library node links against, at the same path, plus the dynamic loader.
ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
old_id="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_ENV=production' \
  --change 'WORKDIR /app' \
  --change "LABEL inference-autotuner.input-hash=$hash" \
  - "$tag" >/dev/null
new_id="$(docker image inspect --format '{{.Id}}' "$tag")"
# The replaced image would linger untagged: remove it (ignored while a container still uses it).
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
echo "built $tag ($hash)"
