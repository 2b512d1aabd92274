import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentWithoutSettings } from '@rnnflow/config';
import { findFreePort } from '@rnnflow/devstack';
import type { BenchStack } from './bench.stack.js';
import { BenchRunError } from './bench.errors.js';
import { ownChild } from './child.process.js';
import { scrapeMetrics } from './metrics.probe.js';
import {
  benchPredictorFlags,
  type BenchPredictorOptions,
  progressIn,
  type RunningPredictor,
} from './predictor.contender.js';

// A member the group refused joins again only after the refused one's session (30 s by default)
// has expired; a start on a busy machine takes longer still.
const START_TIMEOUT_MS = 120_000;

export interface PredictorProcessOptions extends BenchPredictorOptions {
  /** `--workers`; absent: the default (one process). */
  workers?: number;
  /** Path of the rnnflow CLI entry point. */
  rnnflowEntry: string;
  logLevel: string;
}

/**
 * `rnnflow predictor` in a child process, configured by flags alone (the caller's RNNFLOW_ /
 * KAFKA_ / REDIS_ variables are not passed on), stopped with the stack at the latest.
 * Resolves once it (every worker) is ready.
 */
export async function startPredictorProcess(
  stack: BenchStack,
  options: PredictorProcessOptions,
): Promise<RunningPredictor> {
  const metricsPort = await findFreePort();
  const child = spawn(
    process.execPath,
    // The same V8 flags as this process (the CLI's shebang), as `npx rnnflow predictor` gets them.
    [
      ...process.execArgv,
      options.rnnflowEntry,
      'predictor',
      ...cliFlags(stack, options, metricsPort),
    ],
    {
      env: environmentWithoutSettings(),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const owned = ownChild(stack, child, options.logLevel);
  try {
    await untilServing(metricsPort, owned.exited, owned.log);
  } catch (error) {
    await owned.stop();
    throw error;
  }
  return {
    metricsPort,
    readProgress: async () => progressIn(await scrapeMetrics(metricsPort)),
    stop: owned.stop,
  };
}

function cliFlags(
  stack: BenchStack,
  options: PredictorProcessOptions,
  metricsPort: number,
): string[] {
  const flags = benchPredictorFlags(stack, options, {
    'metrics-port': String(metricsPort),
    'log-level': options.logLevel,
    ...(options.workers === undefined ? {} : { workers: String(options.workers) }),
  });
  return Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
}

async function untilServing(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited()) throw new BenchRunError(`rnnflow predictor exited at start:\n${log()}`);
    // Ready once every worker has joined the group and holds its partitions.
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (response?.ok) return;
    if (performance.now() > deadline)
      throw new BenchRunError(
        `rnnflow predictor not ready after ${START_TIMEOUT_MS} ms:\n${log()}`,
      );
    await sleep(200);
  }
}
