import type { FencedScope, StateStore, WriteEntry } from '@rnnflow/state';
import type { TopicMessages } from '@rnnflow/stream';

/** What one partition batch hands to delivery once its predictions and states are computed. */
export interface BatchDelivery {
  scope: FencedScope;
  /** The serving model's state store. */
  store: StateStore;
  /** Predictions and dead letters. */
  messages: TopicMessages[];
  /** New states of the keys the batch changed. */
  entries: WriteEntry[];
  /** Offset of the batch's last record. */
  lastOffset: number;
}

export type DeliveryOutcome = 'delivered' | 'fenced';

/**
 * How predictions, states and the consumer offset reach Kafka and Redis. The order is the
 * whole of the guarantee; see the two implementations.
 */
export interface Delivery {
  /** The group's committed offset for reads that must resolve pending states (exactly-once). */
  committedOffset(scope: FencedScope): number | undefined;
  deliver(batch: BatchDelivery): Promise<DeliveryOutcome>;
}

/** Idle TTL of states in ms; 0 keeps them. */
export interface StateWriter {
  ttlMs: number;
}

export type CommitOffset = (topic: string, partition: number, nextOffset: string) => Promise<void>;

/** Kafka commit offset after the last record of a batch. */
export function nextOffsetAfter(lastOffset: number): string {
  return String(lastOffset + 1);
}

/** Returns `'fenced'` when a write was refused because another consumer owns the partition now. */
export async function writeStable(
  writer: StateWriter,
  batch: BatchDelivery,
): Promise<DeliveryOutcome> {
  if (batch.entries.length === 0) return 'delivered';
  const result = await batch.store.writeStates(batch.scope, batch.entries, {
    mode: 'stable',
    ttlMs: writer.ttlMs,
  });
  return result.fenced ? 'fenced' : 'delivered';
}
