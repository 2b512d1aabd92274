import { randomUUID } from 'node:crypto';
import { ensureKafkaMockBinary } from '@rnnflow/devstack';
import { processesWithEnv, waitUntilGone } from './processes.js';

/** Every process started during the run inherits it, which is how teardown finds leftovers. */
const RUN_MARKER = 'RNNFLOW_TEST_RUN';

/**
 * Before any test file: compiles the Kafka mock launcher once, so that a first run's compile
 * time never counts against a test's timeout, and marks the run in the environment.
 * After the last one: fails the run if any process started by a test is still alive (then
 * kills it, so a failed run leaves nothing behind either).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const marker = randomUUID();
  process.env[RUN_MARKER] = marker;
  await ensureKafkaMockBinary();
  return async () => {
    // Vitest's own children (fork workers, esbuild) may still be closing; what tests start are
    // grandchildren of this process (under a worker) or, once orphaned, children of init.
    const leftovers = processesWithEnv(RUN_MARKER, marker).filter(
      (p) => p.pid !== process.pid && p.ppid !== process.pid,
    );
    // Stopping is asynchronous in places (a tether's watcher, a SIGKILLed parent's orphans).
    const alive = await waitUntilGone(
      leftovers.map((p) => p.pid),
      3000,
    );
    if (alive.length === 0) return;
    const named = leftovers.filter((p) => alive.includes(p.pid));
    for (const { pid } of named) process.kill(pid, 'SIGKILL');
    // Vitest reports an error thrown here but still exits 0; the exit code must say it too.
    process.exitCode = 1;
    throw new Error(
      `processes left running by the tests (now killed): ${named.map((p) => `${p.pid} ${p.comm}`).join(', ')}`,
    );
  };
}
