import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentWithoutSettings } from '@rnnflow/config';
import { findFreePort } from '@rnnflow/devstack';
import type { BenchStack } from './bench.stack.js';
import { BenchRunError } from './bench.errors.js';
import {
  benchPredictorFlags,
  type BenchPredictorOptions,
  type RunningPredictor,
} from './predictor.contender.js';

// A member the group refused joins again only after the refused one's session has expired.
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Tail of the child's log kept for error messages. */
const LOG_TAIL_CHARS = 4000;

export interface PredictorProcessOptions extends BenchPredictorOptions {
  workers: number;
  /** Path of the rnnflow CLI entry point. */
  rnnflowEntry: string;
  logLevel: string;
}

/**
 * `rnnflow predictor --workers N` in a child process, configured by flags alone (the caller's
 * RNNFLOW_ / KAFKA_ / REDIS_ variables are not passed on), stopped with the stack at the latest.
 * Resolves once every worker is ready.
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
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS);
    if (options.logLevel !== 'silent') process.stderr.write(chunk);
  });
  const exited = once(child, 'exit');
  const stop = stack.own(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  });
  try {
    await untilServing(
      metricsPort,
      () => child.exitCode !== null,
      () => log,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { metricsPort, stop };
}

function cliFlags(
  stack: BenchStack,
  options: PredictorProcessOptions,
  metricsPort: number,
): string[] {
  const flags = benchPredictorFlags(stack, options, {
    'metrics-port': String(metricsPort),
    workers: String(options.workers),
    'log-level': options.logLevel,
  });
  return Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
}

async function untilServing(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited()) throw new BenchRunError(`rnnflow predictor --workers exited at start:\n${log()}`);
    // Ready once every worker has joined the group and holds its partitions.
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (response?.ok) return;
    if (performance.now() > deadline)
      throw new BenchRunError(
        `rnnflow predictor --workers not ready after ${START_TIMEOUT_MS} ms:\n${log()}`,
      );
    await sleep(200);
  }
}
