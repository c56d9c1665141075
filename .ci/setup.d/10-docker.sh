#!/usr/bin/env bash
# Installs Debian's Docker engine, starts dockerd (vfs storage, no registry needed) and builds the test images.
# Idempotent: skips packages, a running daemon and images that already exist.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=/var/log/dockerd-autotuner.log

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" iptables ca-certificates >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  # A daemon the package's init script tried to start and that died leaves a pid file that blocks a new one.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then rm -f /var/run/docker.pid; fi
  # setsid + nohup: the daemon must outlive this script and the CI step that runs it.
  setsid nohup dockerd --storage-driver=vfs >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not start; last log lines:" >&2
    tail -n 40 "$log" >&2 || true
    exit 1
  fi
fi
docker version --format 'docker client {{.Client.Version}}, engine {{.Server.Version}}'

bash scripts/images/build-sim-image.sh
bash scripts/images/build-llama-server-image.sh
