import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@rnnflow/logging';
import {
  TransactionFencedError,
  type TransactionScope,
  type TransactionalProducerPool,
} from '@rnnflow/stream';
import {
  newestEntries,
  nextOffsetAfter,
  type ComputedBatch,
  type Delivery,
  type DeliveryListener,
} from './delivery.js';
import type { EntityKey, StateStore } from '@rnnflow/state';
import type { OwnedPartition } from './owned.partition.js';
import { StatesFencedError } from './predictor.errors.js';

export interface ExactlyOnceOptions {
  producers: TransactionalProducerPool;
  /** Idle TTL of states, ms; 0 keeps them. */
  ttlMs: number;
  /** How long a partition's transaction takes batches before it commits, ms. */
  commitIntervalMs: number;
  listener: DeliveryListener;
  logger: Logger;
}

/**
 * One Kafka transaction per partition per commit interval. Each batch's states are staged as
 * *pending* (tagged with the batch's last offset) while its predictions go into the open
 * transaction; when the interval is over, the transaction adds the input offset after its last
 * batch and commits, and the pending states are promoted. A pending state counts as committed
 * exactly when the group's committed offset passed its tag, which is what every read checks: a
 * crash before the commit leaves the staged states ignored and the batches are redone; a crash
 * after it leaves them valid although not yet promoted.
 */
export class ExactlyOnceDelivery implements Delivery {
  private readonly partitions = new Map<OwnedPartition, PartitionTransactions>();

  constructor(private readonly options: ExactlyOnceOptions) {}

  submit(batch: ComputedBatch): void {
    let transactions = this.partitions.get(batch.owner);
    if (transactions === undefined) {
      transactions = new PartitionTransactions(batch.owner, this.options);
      this.partitions.set(batch.owner, transactions);
    }
    transactions.add(batch);
  }

  start(): void {}

  async drain(): Promise<void> {
    await Promise.all([...this.partitions.values()].map((transactions) => transactions.idle()));
  }

  release(owner: OwnedPartition): void {
    this.partitions.delete(owner);
  }
}

/** The transactions of one owned partition, one after another. */
class PartitionTransactions {
  private readonly waiting: ComputedBatch[] = [];
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly owner: OwnedPartition,
    private readonly options: ExactlyOnceOptions,
  ) {}

  add(batch: ComputedBatch): void {
    this.waiting.push(batch);
    this.wake?.();
    this.running ??= this.run().finally(() => (this.running = undefined));
  }

  /** Resolves once the batches added so far are committed or dropped. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0 && this.owner.active) await this.transaction();
    if (!this.owner.active) this.waiting.length = 0;
  }

  private async transaction(): Promise<void> {
    const { owner, options } = this;
    const committedBefore = owner.committedOffset;
    const taken: ComputedBatch[] = [];
    try {
      const producer = await options.producers.forPartition(
        owner.scope.topic,
        owner.scope.partition,
      );
      await producer.transact(async (transaction) => {
        // The batches waiting go in together, so a transaction keeps up however small they are,
        // and it commits once its oldest event is one interval old.
        let group = this.takeWaiting();
        const closesAt = transactionDeadline(group[0], options.commitIntervalMs);
        for (; group.length > 0; group = await this.next(closesAt)) {
          taken.push(...group);
          await Promise.all([
            this.stage(group, committedBefore),
            transaction.send(group.flatMap((batch) => batch.messages)),
          ]);
        }
        await this.commitOffset(transaction, taken[taken.length - 1].lastOffset);
      });
    } catch (error) {
      await this.discard(taken, committedBefore);
      if (owner.active) {
        const fenced =
          error instanceof TransactionFencedError || error instanceof StatesFencedError;
        options.listener.failed(owner, error, fenced);
      }
      return;
    }
    const last = taken[taken.length - 1];
    owner.committed(last.lastOffset + 1);
    // Promoted before the next transaction stages: reads that cannot see the group's committed
    // offset (a restart on a broker that keeps no transactional offsets) find the states stable.
    await this.promote(taken, last.lastOffset + 1);
    owner.madeDurable(last.sequence, last.lastOffset);
    for (const batch of taken) batch.countDelivered();
  }

  private takeWaiting(): ComputedBatch[] {
    return this.waiting.splice(0);
  }

  /** The batches added before `closesAt`, once there are some; none once the interval is over. */
  private async next(closesAt: number): Promise<ComputedBatch[]> {
    while (this.waiting.length === 0) {
      const left = closesAt - Date.now();
      if (left <= 0 || !this.owner.active) return [];
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      await Promise.race([woken, sleep(left)]);
      this.wake = undefined;
    }
    return Date.now() < closesAt ? this.takeWaiting() : [];
  }

  /** Stages the group's newest state of each key, tagged with the group's last offset. */
  private async stage(group: readonly ComputedBatch[], committedOffset: number): Promise<void> {
    const batchTag = group[group.length - 1].lastOffset;
    for (const [store, entries] of newestEntries(group)) {
      const staged = await store.writeStates(this.owner.scope, entries, {
        mode: 'pending',
        batchTag,
        committedOffset: Math.max(committedOffset, 0),
        ttlMs: this.options.ttlMs,
      });
      if (staged.fenced) throw new StatesFencedError(this.owner.name);
    }
  }

  private async commitOffset(transaction: TransactionScope, lastOffset: number): Promise<void> {
    const { topic, partition } = this.owner.scope;
    await transaction.sendOffsets({
      topics: [{ topic, partitions: [{ partition, offset: nextOffsetAfter(lastOffset) }] }],
    });
  }

  /** After an abort, best effort: reads ignore uncommitted pending states anyway. */
  private async discard(taken: readonly ComputedBatch[], committedOffset: number): Promise<void> {
    for (const [store, keys] of keysByStore(taken)) {
      await store
        .discardPending(this.owner.scope, keys, Math.max(committedOffset, 0))
        .catch((error: unknown) => this.cleanupFailed(error));
    }
  }

  /** After the commit, best effort: reads count committed pending states anyway. */
  private async promote(taken: readonly ComputedBatch[], committedOffset: number): Promise<void> {
    for (const [store, keys] of keysByStore(taken)) {
      await store
        .promotePending(this.owner.scope, keys, committedOffset, { ttlMs: this.options.ttlMs })
        .catch((error: unknown) => this.cleanupFailed(error));
    }
  }

  private cleanupFailed(error: unknown): void {
    this.options.logger.warn({ err: error }, 'pending state cleanup failed; reads resolve it');
  }
}

/**
 * When a transaction stops taking batches: once the first batch's oldest event is one commit
 * interval old, so that the interval bounds how long an event waits for its commit (on a live
 * stream that event is already a fetch wait and a linger old when its batch is taken). Never
 * earlier than half an interval after the batch was taken, nor later than a whole one: a
 * backlog's old events, or a producer whose clock is off, still leave the transaction time to
 * gather batches.
 */
export function transactionDeadline(
  first: Pick<ComputedBatch, 'takenAtMs' | 'oldestEventMs'>,
  commitIntervalMs: number,
): number {
  const byEventAge = first.oldestEventMs + commitIntervalMs;
  const earliest = first.takenAtMs + commitIntervalMs / 2;
  return Math.min(first.takenAtMs + commitIntervalMs, Math.max(byEventAge, earliest));
}

function keysByStore(batches: readonly ComputedBatch[]): Map<StateStore, EntityKey[]> {
  return new Map(
    [...newestEntries(batches)].map(([store, entries]) => [store, entries.map(({ key }) => key)]),
  );
}
