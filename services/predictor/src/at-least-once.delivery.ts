import type { RecordProducer } from '@rnnflow/stream';
import {
  nextOffsetAfter,
  writeStable,
  type BatchDelivery,
  type CommitOffset,
  type Delivery,
  type DeliveryOutcome,
  type StateWriter,
} from './delivery.js';

/**
 * Produce, then write states, then commit. A crash after producing re-produces the batch on
 * replay from the same stored states, so the predictions are identical; a crash after the state
 * write finds the states ahead of the records, which are skipped, so no key steps twice.
 */
export class AtLeastOnceDelivery implements Delivery {
  constructor(
    private readonly producer: RecordProducer,
    private readonly writer: StateWriter,
    private readonly commit: CommitOffset,
  ) {}

  committedOffset(): undefined {
    return undefined;
  }

  async deliver(batch: BatchDelivery): Promise<DeliveryOutcome> {
    if (batch.messages.length > 0) await this.producer.sendBatch(batch.messages);
    if ((await writeStable(this.writer, batch)) === 'fenced') return 'fenced';
    await this.commit(batch.scope.topic, batch.scope.partition, nextOffsetAfter(batch.lastOffset));
    return 'delivered';
  }
}
