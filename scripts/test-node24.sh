#!/usr/bin/env bash
# Runs every project's unit tests, then the predictor, state and stream integration tests, under
# Node.js 24 (fetched by scripts/setup.sh into .rnnflow/node24). node_modules was installed by the
# system Node: node-rdkafka's binding is built for that Node's ABI and does not load under 24, so
# there the predictor produces with kafkajs (`auto`) and the librdkafka tests say why they skip.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE24_BIN=$PWD/.rnnflow/node24/bin
if [ ! -x "$NODE24_BIN/node" ]; then
  echo "test-node24: no Node.js 24 in .rnnflow/node24 (scripts/setup.sh fetches it on Linux x86_64)" >&2
  exit 1
fi
export PATH="$NODE24_BIN:$PATH"
echo "test-node24: $(node --version)" >&2

# --skip-nx-cache: the cache does not key on the Node version, and would replay the Node 20 run.
NX_DAEMON=false npx nx run-many -t test --exclude @rnnflow/integration-tests --parallel=1 \
  --skip-nx-cache --outputStyle=static
(cd test && npx vitest run predictor state stream)
