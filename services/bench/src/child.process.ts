import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { BenchStack } from './bench.stack.js';

const STOP_TIMEOUT_MS = 15_000;
/** Tail of a child's log kept for error messages. */
const LOG_TAIL_CHARS = 4000;

/** A contender's process as the bench holds it. */
export interface OwnedChild {
  /** The last few thousand characters it wrote to stderr. */
  log(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after 15 s; resolves once it is gone. Also runs when the stack stops. */
  stop(): Promise<void>;
}

/**
 * Takes charge of a spawned contender (stderr piped): keeps its log tail, echoes it unless
 * `logLevel` is silent, and registers its stop with the stack.
 */
export function ownChild(stack: BenchStack, child: ChildProcess, logLevel: string): OwnedChild {
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS);
    if (logLevel !== 'silent') process.stderr.write(chunk);
  });
  const exited = once(child, 'exit');
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = stack.own(async () => {
    if (hasExited()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  });
  return { log: () => log, exited: hasExited, stop };
}
