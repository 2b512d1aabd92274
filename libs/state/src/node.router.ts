import calculateSlot from 'cluster-key-slot';
import { Cluster, ReplyError, type ChainableCommander, type Redis } from 'ioredis';
import { StateScriptError, StateUnavailableError } from './state.errors.js';

/** One command for one partition: `slotKey` is any key of the partition, `queue` adds the command. */
export interface RoutedCall {
  slotKey: string;
  queue(pipeline: ChainableCommander): void;
}

/**
 * Sends the calls in one pipeline per Redis node, all nodes in parallel, so a batch costs one round
 * trip per node however many partitions and keys it spans. Replies come back in call order.
 *
 * On a single Redis that is one pipeline. On a Cluster, calls are grouped by the master that serves
 * their slot (ioredis also requires a pipeline's keys to live on one node); if the slot map moved in
 * the meantime, ioredis follows MOVED/ASK for the pipeline.
 */
export async function execPerNode(
  connection: Redis | Cluster,
  calls: readonly RoutedCall[],
): Promise<unknown[]> {
  const replies: unknown[] = new Array(calls.length);
  await Promise.all(
    [...groupByNode(connection, calls).values()].map(async (indexes) => {
      const pipeline = connection.pipeline();
      for (const index of indexes) calls[index].queue(pipeline);
      const results = await runPipeline(pipeline);
      indexes.forEach((callIndex, position) => {
        const [error, reply] = results[position];
        if (error) throw toStateError(error);
        replies[callIndex] = reply;
      });
    }),
  );
  return replies;
}

function groupByNode(
  connection: Redis | Cluster,
  calls: readonly RoutedCall[],
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  calls.forEach((call, index) => {
    const node = nodeOf(connection, call.slotKey) ?? `unmapped:${index}`;
    const group = groups.get(node);
    if (group) group.push(index);
    else groups.set(node, [index]);
  });
  return groups;
}

function nodeOf(connection: Redis | Cluster, key: string): string | undefined {
  if (!(connection instanceof Cluster)) return 'single';
  return connection.slots[calculateSlot(key)]?.[0];
}

async function runPipeline(pipeline: ChainableCommander): Promise<[Error | null, unknown][]> {
  try {
    const results = await pipeline.exec();
    if (!results) throw new Error('pipeline discarded');
    return results;
  } catch (error) {
    throw toStateError(error);
  }
}

const TRANSIENT_REPLY = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|LOADING|BUSY|MASTERDOWN|READONLY)\b/;

/** Redis refusing a script's logic is a bug to fix; anything about reaching Redis may pass. */
function toStateError(error: unknown): Error {
  if (error instanceof StateUnavailableError || error instanceof StateScriptError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ReplyError && !TRANSIENT_REPLY.test(message)) {
    return new StateScriptError(`Redis refused a state command: ${message}`, error);
  }
  return new StateUnavailableError(`Redis state command failed: ${message}`, error);
}
