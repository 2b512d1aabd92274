import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import {
  isGroupRebalanceError,
  type RecordProducer,
  type TopicMessages,
  type TopicPartitionOffset,
} from '@rnnflow/stream';
import type { ComputedBatch, Delivery, DeliveryListener } from './delivery.js';
import type { OwnedPartition } from './owned.partition.js';
import { StatesFencedError } from './predictor.errors.js';
import type { StateWriteBatcher } from './state.write.batcher.js';

export interface AtLeastOnceOptions {
  producer: RecordProducer;
  writer: StateWriteBatcher;
  /**
   * Commits offsets for the consumer group, all partitions in one request; one that finds the
   * group rebalancing makes the member rejoin.
   */
  commit: (offsets: readonly TopicPartitionOffset[]) => Promise<void>;
  /** The partitions owned now, whose durable offsets the periodic commit takes. */
  owners: () => Iterable<OwnedPartition>;
  commitIntervalMs: number;
  listener: DeliveryListener;
  metrics: PredictorMetrics;
  logger: Logger;
}

/**
 * Produce, then write states, then commit. A batch is produced as soon as it is computed; its
 * states are written once it and every earlier batch of its partition were acknowledged, and
 * the periodic commit takes the offsets whose states are written. A crash after producing
 * re-produces the batch on replay from the same stored states, so the predictions are
 * identical; a crash after the state write finds the states ahead of the records, which are
 * skipped, so no key steps twice.
 */
export class AtLeastOnceDelivery implements Delivery {
  /** Per partition, the last batch's completion: a batch's states wait for the ones before. */
  private readonly tails = new Map<OwnedPartition, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();
  /** Batches waiting for the produce call in flight to finish; they go in the next one together. */
  private produceQueue: {
    messages: readonly TopicMessages[];
    settle: (error: unknown) => void;
  }[] = [];
  private producing = false;

  constructor(private readonly options: AtLeastOnceOptions) {}

  submit(batch: ComputedBatch): void {
    const produced = batch.messages.length > 0 ? this.produce(batch.messages) : Promise.resolve();
    // Awaited by the tail below; a rejection must not count as unhandled in between.
    produced.catch(() => undefined);
    const previous = this.tails.get(batch.owner) ?? Promise.resolve();
    this.tails.set(
      batch.owner,
      previous.then(() => this.complete(batch, produced)),
    );
  }

  start(): void {
    this.timer = setInterval(() => void this.commitDurable(), this.options.commitIntervalMs);
  }

  async drain(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.tails.values());
    await this.commitDurable();
  }

  release(owner: OwnedPartition): void {
    this.tails.delete(owner);
  }

  /**
   * One produce call at a time, the batches submitted meanwhile together in the next: records
   * leave in the order their batches were computed (a key's predictions stay in step order,
   * which concurrent calls of some clients would not keep), and the calls grow with the load.
   */
  private produce(messages: readonly TopicMessages[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.produceQueue.push({
        messages,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (!this.producing) void this.produceQueued();
    });
  }

  private async produceQueued(): Promise<void> {
    this.producing = true;
    while (this.produceQueue.length > 0) {
      const group = this.produceQueue.splice(0);
      let failure: unknown;
      try {
        await this.options.producer.sendBatch(group.flatMap(({ messages }) => messages));
      } catch (error) {
        failure = error ?? new Error('produce failed');
      }
      for (const call of group) call.settle(failure);
    }
    this.producing = false;
  }

  private async complete(batch: ComputedBatch, produced: Promise<unknown>): Promise<void> {
    const { owner } = batch;
    try {
      await produced;
      if (!owner.active) return;
      const written = await this.options.writer.write(batch.store, owner.scope, batch.entries);
      if (written.fenced) throw new StatesFencedError(owner.name);
      if (!owner.active) return;
      owner.madeDurable(batch.sequence, batch.lastOffset);
      batch.countDelivered();
    } catch (error) {
      if (owner.active)
        this.options.listener.failed(owner, error, error instanceof StatesFencedError);
    }
  }

  /** One commit at a time: a slow one makes the next interval's commit wait, not pile up. */
  private commitDurable(): Promise<void> {
    this.committing = this.committing.then(() => this.commitOnce());
    return this.committing;
  }

  private async commitOnce(): Promise<void> {
    const due: { owner: OwnedPartition; offset: number }[] = [];
    for (const owner of this.options.owners()) {
      const offset = owner.offsetToCommit();
      if (offset !== undefined) due.push({ owner, offset });
    }
    if (due.length === 0) return;
    try {
      await this.options.commit(
        due.map(({ owner, offset }) => ({
          topic: owner.scope.topic,
          partition: owner.scope.partition,
          offset: String(offset),
        })),
      );
      for (const { owner, offset } of due) owner.committed(offset);
    } catch (error) {
      // The offsets stay due: the next interval commits them, or a rebalance hands the
      // partitions on and their next owner skips what these states already hold.
      if (isGroupRebalanceError(error)) return;
      this.options.metrics.error('commit');
      this.options.logger.warn(
        { err: error },
        'offset commit failed; retrying at the next interval',
      );
    }
  }
}
