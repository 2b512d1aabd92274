import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { BenchRunError } from './bench.errors.js';

/** A downstream consumer of one topic: every record value, as text, when it arrived. */
export interface DownstreamReader {
  /** Stops the reader; resolves once its process has exited. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 5000;
/**
 * The reader's own fetch wait: the embedded broker waits out an idle fetch's whole wait, which a
 * reader of a steady stream meets between records; kept short so it adds little to what it reads.
 */
const READER_FETCH_WAIT_MS = 5;

/**
 * Reads every partition of `topic` from the beginning with kcat (librdkafka), read_committed,
 * calling `onValue` per record as its line arrives. Downstream consumers are other processes:
 * one in the bench process would take event-loop time from the in-process predictor it measures,
 * and librdkafka fetches again as soon as an answer arrives rather than after handling it.
 */
export async function startDownstreamReader(
  brokers: readonly string[],
  topic: string,
  onValue: (value: string) => void,
): Promise<DownstreamReader> {
  const child = spawn(
    'kcat',
    // prettier-ignore
    ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-u', '-q', '-f', '%s\n',
      '-X', 'isolation.level=read_committed', '-X', `fetch.wait.max.ms=${READER_FETCH_WAIT_MS}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = once(child, 'exit');
  const spawned = once(child, 'spawn');
  const failed = once(child, 'error').then(([error]) => {
    throw new BenchRunError(
      `kcat could not start (${(error as Error).message}); run scripts/setup.sh`,
    );
  });
  await Promise.race([spawned, failed]);
  createInterface({ input: child.stdout }).on('line', onValue);
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      if (stderr.trim() !== '') process.stderr.write(`kcat: ${stderr}\n`);
    },
  };
}
