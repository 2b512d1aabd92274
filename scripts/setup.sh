#!/usr/bin/env bash
# Prepares a machine for rnnflow: system packages for the embedded stack, then npm ci.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command-on-PATH:debian-package pairs the embedded stack and the tests need.
REQUIRED=(
  "redis-server:redis-server"
  "redis-cli:redis-tools"
  "kcat:kcat"
  "promtool:prometheus"
  "cc:gcc"
  "pkg-config:pkg-config"
)
HEADER_PACKAGE="librdkafka-dev"

missing=()
for pair in "${REQUIRED[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
pkg-config --exists rdkafka 2>/dev/null || missing+=("$HEADER_PACKAGE")

if ((${#missing[@]} > 0)); then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} with apt-get" >&2
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    # No recommends: the prometheus package would otherwise pull in and start node-exporter.
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]} (Debian/Ubuntu names)." >&2
    echo "setup: install them with your package manager, or run the stack with docker-compose.yml instead." >&2
    exit 1
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "setup: Node.js 20 or newer is needed (found $(node --version))." >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
