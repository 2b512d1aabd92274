import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchStack, ContenderTopics } from './bench.stack.js';
import { BenchRunError } from './bench.errors.js';
import { ownChild } from './child.process.js';
import { FETCH_WAIT_MS } from './contender.limits.js';

const SERVICE = fileURLToPath(new URL('./floor.service.ts', import.meta.url));
const START_TIMEOUT_MS = 120_000;

/**
 * Starts the floor service (`floor.service.ts`) on `topics` in a child process of plain Node
 * (no rnnflow flags), resolving once it has joined its group.
 */
export async function startFloorProcess(
  stack: BenchStack,
  topics: ContenderTopics,
  logLevel: string,
): Promise<{ stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SERVICE, stack.brokers.join(','), topics.input, topics.output].concat([
      `bench-${topics.input}`,
      String(FETCH_WAIT_MS),
    ]),
    // From its package, where `tsx` resolves.
    { cwd: dirname(dirname(SERVICE)), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const owned = ownChild(stack, child, logLevel);
  let joined = false;
  const ready = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line !== 'ready') return;
      joined = true;
      resolve();
    }),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    await Promise.race([ready, once(child, 'exit')]);
    if (!joined) {
      throw new BenchRunError(`the floor service did not join its group:\n${owned.log()}`);
    }
  } catch (error) {
    await owned.stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { stop: owned.stop };
}
