import type { FencedScope } from '@rnnflow/state';
import { TransactionFencedError, type TransactionalProducerPool } from '@rnnflow/stream';
import {
  nextOffsetAfter,
  type BatchDelivery,
  type Delivery,
  type DeliveryOutcome,
  type StateWriter,
} from './delivery.js';

/**
 * Stage states as pending (tagged with the batch's last offset L), then one Kafka transaction
 * with the predictions and the input offset L+1, then promote. A pending state counts as
 * committed exactly when the group's committed offset passed L, which is what every read
 * checks: a crash before the commit leaves the staged states ignored and the batch is redone;
 * a crash after it leaves them valid although not yet promoted.
 */
export class ExactlyOnceDelivery implements Delivery {
  private readonly committed = new Map<string, number>();

  constructor(
    private readonly producers: TransactionalProducerPool,
    private readonly writer: StateWriter,
    /** Told about failures of the best-effort cleanup steps, which reads make safe to miss. */
    private readonly onCleanupError: (error: unknown) => void,
  ) {}

  /** Records the group's committed offset of a newly assigned partition (-1 when none). */
  setCommittedOffset(topic: string, partition: number, offset: number): void {
    this.committed.set(`${topic}/${partition}`, Math.max(offset, 0));
  }

  committedOffset(scope: FencedScope): number {
    return this.committed.get(`${scope.topic}/${scope.partition}`) ?? 0;
  }

  async deliver(batch: BatchDelivery): Promise<DeliveryOutcome> {
    const { scope, entries, lastOffset, store } = batch;
    const { ttlMs } = this.writer;
    const committedBefore = this.committedOffset(scope);
    if (entries.length > 0) {
      const staged = await store.writeStates(scope, entries, {
        mode: 'pending',
        batchTag: lastOffset,
        committedOffset: committedBefore,
        ttlMs,
      });
      if (staged.fenced) return 'fenced';
    }
    const keys = entries.map((entry) => entry.key);
    try {
      const producer = await this.producers.forPartition(scope.topic, scope.partition);
      await producer.transact(async (transaction) => {
        if (batch.messages.length > 0) await transaction.send(batch.messages);
        await transaction.sendOffsets({
          topics: [
            {
              topic: scope.topic,
              partitions: [{ partition: scope.partition, offset: nextOffsetAfter(lastOffset) }],
            },
          ],
        });
      });
    } catch (error) {
      if (error instanceof TransactionFencedError) return 'fenced';
      await store.discardPending(scope, keys, committedBefore).catch(this.onCleanupError);
      throw error;
    }
    const committedAfter = lastOffset + 1;
    this.committed.set(`${scope.topic}/${scope.partition}`, committedAfter);
    if (keys.length > 0)
      await store.promotePending(scope, keys, committedAfter, { ttlMs }).catch(this.onCleanupError);
    return 'delivered';
  }
}
