import { setTimeout as sleep } from 'node:timers/promises';
import type { PartitionBatch } from '@rnnflow/stream';
import type { BenchStack, ContenderTopics } from './bench.stack.js';
import { checkAlive, FETCH_WAIT_MS } from './contender.limits.js';
import type { PhaseProgress } from './progress.display.js';
import { throughputOf, type Throughput } from './throughput.js';

/** How often completion is checked. */
const CHECK_MS = 20;

/** Handles one partition batch completely (delivered and committed) and returns its event count. */
export type ContenderHandler = (
  batch: PartitionBatch,
  commit: (nextOffset: string) => Promise<void>,
) => Promise<number>;

export interface BatchContenderOptions {
  name: string;
  topics: ContenderTopics;
  events: number;
  partitionsConcurrently: number;
}

/**
 * Runs a hand-written consumer with the predictor's consumer wrapper and settings
 * (`@rnnflow/stream` BatchConsumer, read_committed, 1 MiB per partition fetches, the same
 * partitions at once) over `events` pre-produced records, timed from the first batch handed to
 * it to the moment the last one was delivered and committed.
 */
export async function measureBatchContender(
  stack: BenchStack,
  options: BatchContenderOptions,
  handler: ContenderHandler,
  progress: PhaseProgress,
  signal: AbortSignal,
): Promise<Throughput> {
  const consumer = stack.kafka.batchConsumer({
    groupId: `bench-${options.topics.input}`,
    topics: [options.topics.input],
    partitionsConsumedConcurrently: options.partitionsConcurrently,
    maxWaitTimeMs: FETCH_WAIT_MS,
  });
  let startedAt: number | undefined;
  let finishedAt: number | undefined;
  let done = 0;
  let failure: unknown;
  const stop = stack.own(() => consumer.stop());
  try {
    await consumer.run(async (batch) => {
      startedAt ??= performance.now();
      try {
        // Not `done += await …`: that reads `done` before the await, losing concurrent batches.
        const handled = await handler(batch, (next) =>
          consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: next }]),
        );
        done += handled;
      } catch (error) {
        failure ??= error;
        throw error;
      }
      if (done >= options.events) finishedAt ??= performance.now();
    });
    let lastDone = 0;
    let lastProgressAt = performance.now();
    while (finishedAt === undefined) {
      if (failure !== undefined) throw failure;
      const now = performance.now();
      if (done !== lastDone) [lastDone, lastProgressAt] = [done, now];
      progress.update(done);
      checkAlive(signal, now - lastProgressAt, options.name, done);
      await sleep(CHECK_MS);
    }
    return throughputOf(done, finishedAt - (startedAt ?? finishedAt));
  } finally {
    await stop();
  }
}
