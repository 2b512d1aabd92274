import type { EntityKey, StateStore, WriteEntry } from '@rnnflow/state';
import type { TopicMessages } from '@rnnflow/stream';
import type { OwnedPartition } from './owned.partition.js';

/** A partition batch once computed: what delivery must bring to Kafka and Redis. */
export interface ComputedBatch {
  owner: OwnedPartition;
  /** The batch's number within its owner (see `OwnedPartition.take`). */
  sequence: number;
  /** The serving model's state store. */
  store: StateStore;
  /** Predictions and dead letters. */
  messages: TopicMessages[];
  /** New states of the keys the batch changed. */
  entries: WriteEntry[];
  /** Offset of the batch's last record. */
  lastOffset: number;
  /** When the batch was taken, ms since the epoch. */
  takenAtMs: number;
  /** Timestamp of the batch's first record (its producer's clock), ms since the epoch. */
  oldestEventMs: number;
  /** Counts the batch's predictions and dead letters once they are delivered. */
  countDelivered(): void;
}

/** What delivery tells the pipeline about a partition whose batches it could not deliver. */
export interface DeliveryListener {
  /**
   * A batch of `owner` failed (`fenced`: another writer owns the partition's states or
   * transactional id now). Its later batches are dropped too; the pipeline ends the ownership
   * and reads the partition again from its committed offset.
   */
  failed(owner: OwnedPartition, error: unknown, fenced: boolean): void;
}

/**
 * How predictions, states and offsets reach Kafka and Redis after a batch is computed. The
 * order is the whole of the guarantee; see the two implementations. `submit` returns at once:
 * delivery runs behind the computation of the next batches.
 */
export interface Delivery {
  submit(batch: ComputedBatch): void;
  /** Starts a periodic commit of durable offsets, if this mode commits on its own. */
  start(): void;
  /** Waits for every submitted batch, commits what is durable, and stops. */
  drain(): Promise<void>;
  /** Forgets the partition's pending work, if any (the pipeline ended `owner`). */
  release(owner: OwnedPartition): void;
}

/** Kafka commit offset after the last record of a batch. */
export function nextOffsetAfter(lastOffset: number): string {
  return String(lastOffset + 1);
}

/** Each key's state from the last batch that changed it, by store (two during a swap). */
export function newestEntries(batches: readonly ComputedBatch[]): Map<StateStore, WriteEntry[]> {
  // The common case, one batch: its entries are one per key already.
  if (batches.length === 1) return new Map([[batches[0].store, batches[0].entries]]);
  const byStore = new Map<StateStore, Map<EntityKey, WriteEntry>>();
  for (const batch of batches) {
    let entries = byStore.get(batch.store);
    if (entries === undefined) byStore.set(batch.store, (entries = new Map()));
    for (const entry of batch.entries) entries.set(entry.key, entry);
  }
  return new Map([...byStore].map(([store, entries]) => [store, [...entries.values()]]));
}
