import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import {
  isGroupRebalanceError,
  type RecordProducer,
  type TopicPartitionOffset,
} from '@rnnflow/stream';
import {
  newestEntries,
  type ComputedBatch,
  type Delivery,
  type DeliveryListener,
} from './delivery.js';
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

/** A submitted batch, and whether the produce call that carried its records succeeded. */
interface Submitted {
  batch: ComputedBatch;
  produced: Promise<void>;
  acknowledged: boolean;
}

/** A partition's submitted batches whose states are not written yet, oldest first. */
interface PartitionWrites {
  waiting: Submitted[];
  /** The write-behind loop while it runs. */
  running: Promise<void> | undefined;
}

/**
 * Produce, then write states, then commit. A batch is produced as soon as it is computed; its
 * states are written once it and every earlier batch of its partition were acknowledged, and
 * the periodic commit takes the offsets whose states are written. A crash after producing
 * re-produces the batch on replay from the same stored states, so the predictions are
 * identical; a crash after the state write finds the states ahead of the records, which are
 * skipped, so no key steps twice.
 *
 * Write-behind per partition, one write at a time: the batches acknowledged while a write is
 * out go in the next one together, each key once with its newest state, so a partition that
 * runs ahead of Redis writes less, not later.
 */
export class AtLeastOnceDelivery implements Delivery {
  private readonly writes = new Map<OwnedPartition, PartitionWrites>();
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();
  /** Batches waiting for the produce call in flight to finish; they go in the next one together. */
  private produceQueue: { submitted: Submitted; settle: (error: unknown) => void }[] = [];
  private producing = false;

  constructor(private readonly options: AtLeastOnceOptions) {}

  submit(batch: ComputedBatch): void {
    const submitted = this.produce(batch);
    let partition = this.writes.get(batch.owner);
    if (partition === undefined) {
      partition = { waiting: [], running: undefined };
      this.writes.set(batch.owner, partition);
    }
    partition.waiting.push(submitted);
    partition.running ??= this.writeBehind(batch.owner, partition);
  }

  start(): void {
    this.timer = setInterval(() => void this.commitDurable(), this.options.commitIntervalMs);
  }

  async drain(): Promise<void> {
    clearInterval(this.timer);
    for (;;) {
      const running = [...this.writes.values()].flatMap(({ running }) => running ?? []);
      if (running.length === 0) break;
      await Promise.all(running);
    }
    await this.commitDurable();
  }

  release(owner: OwnedPartition): void {
    this.writes.delete(owner);
  }

  /**
   * One produce call at a time, the batches submitted meanwhile together in the next: records
   * leave in the order their batches were computed (a key's predictions stay in step order,
   * which concurrent calls of some clients would not keep), and the calls grow with the load.
   */
  private produce(batch: ComputedBatch): Submitted {
    const submitted: Submitted = { batch, produced: Promise.resolve(), acknowledged: true };
    if (batch.messages.length === 0) return submitted;
    submitted.acknowledged = false;
    submitted.produced = new Promise((resolve, reject) => {
      this.produceQueue.push({
        submitted,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (!this.producing) void this.produceQueued();
    });
    // Awaited by the write-behind loop; a rejection must not count as unhandled in between.
    submitted.produced.catch(() => undefined);
    return submitted;
  }

  private async produceQueued(): Promise<void> {
    this.producing = true;
    while (this.produceQueue.length > 0) {
      const group = this.produceQueue.splice(0);
      let failure: unknown;
      try {
        await this.options.producer.sendBatch(
          group.flatMap(({ submitted }) => submitted.batch.messages),
        );
      } catch (error) {
        failure = error ?? new Error('produce failed');
      }
      for (const { submitted, settle } of group) {
        submitted.acknowledged = failure === undefined;
        settle(failure);
      }
    }
    this.producing = false;
  }

  /** Writes the partition's acknowledged batches, oldest first, until none waits. */
  private async writeBehind(owner: OwnedPartition, partition: PartitionWrites): Promise<void> {
    try {
      while (partition.waiting.length > 0 && owner.active) {
        await partition.waiting[0].produced;
        const acknowledged = partition.waiting.findIndex(({ acknowledged }) => !acknowledged);
        const group = partition.waiting.splice(
          0,
          acknowledged === -1 ? partition.waiting.length : acknowledged,
        );
        await this.makeDurable(
          owner,
          group.map(({ batch }) => batch),
        );
      }
    } catch (error) {
      if (owner.active)
        this.options.listener.failed(owner, error, error instanceof StatesFencedError);
    }
    // No await since the loop's last check: a batch submitted from here on starts a new loop.
    partition.running = undefined;
  }

  private async makeDurable(
    owner: OwnedPartition,
    batches: readonly ComputedBatch[],
  ): Promise<void> {
    const written = await Promise.all(
      [...newestEntries(batches)].map(([store, entries]) =>
        this.options.writer.write(store, owner.scope, entries),
      ),
    );
    if (written.some(({ fenced }) => fenced)) throw new StatesFencedError(owner.name);
    if (!owner.active) return;
    const last = batches[batches.length - 1];
    owner.madeDurable(last.sequence, last.lastOffset);
    for (const batch of batches) batch.countDelivered();
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
