#!/usr/bin/env bash
# The integration tests on the system Node.js and the Node.js 24 run (scripts/test-node24.sh) side
# by side. Both spend most of their time waiting for the brokers, Redis servers and services they
# start (a sequential run uses about a third of one core), so together they take little longer
# than the longer one alone. The Node 24 run's output follows the other's; the exit status fails
# if either failed, and both have finished (everything they started stopped) when this returns.
set -uo pipefail
cd "$(dirname "$0")/.."

node24_log=$(mktemp)
bash scripts/test-node24.sh >"$node24_log" 2>&1 &
node24=$!

(cd test && npx vitest run)
system_status=$?

wait "$node24"
node24_status=$?
echo "=== the Node.js 24 run (scripts/test-node24.sh), exit status $node24_status ==="
cat "$node24_log"
rm -f "$node24_log"

if [ "$system_status" -ne 0 ] || [ "$node24_status" -ne 0 ]; then
  echo "test-integration: system Node.js run exit $system_status, Node.js 24 run exit $node24_status" >&2
  exit 1
fi
