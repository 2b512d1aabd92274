import type { Logger } from '@rnnflow/logging';
import type { PredictorMetrics } from '@rnnflow/metrics';
import { isRetriable, RnnflowError } from '@rnnflow/errors';
import {
  backoffDelayMs,
  partitionName,
  type PartitionBatch,
  type TopicPartitions,
} from '@rnnflow/stream';
import type { BatchProcessor } from './batch.processor.js';
import type { Delivery, DeliveryListener } from './delivery.js';
import { OwnedPartition } from './owned.partition.js';
import type { ServingModel } from './serving.model.js';
import type { StateCache } from './state.cache.js';

/** What the pipeline needs of the consumer: to read a partition again from an offset. */
export interface RewindableConsumer {
  rewind(topic: string, partition: number, offset: string): void;
  resume(topic: string, partition: number): void;
}

export interface PipelineOptions {
  processor: BatchProcessor;
  delivery: Delivery;
  cache: StateCache;
  consumer: RewindableConsumer;
  metrics: PredictorMetrics;
  logger: Logger;
  /** The model to compute the next batch with; read once per batch, so a swap lands between batches. */
  serving: () => ServingModel;
  /** Most events of one partition computed and not yet durable; more wait. */
  maxEventsInFlight: number;
  /** Told about an error that rewinding cannot cure; the predictor then stops. */
  onFatal: (error: unknown) => void;
  /** Backoff before a failed partition is read again, ms. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/**
 * The predictor's stages, in order, for every partition it owns:
 *
 * 1. **take** (here, in the consumer's batch callback): parse the records, load their keys'
 *    states (the cache, else one Redis read), compute every step, encode the predictions — then
 *    return, so that the consumer fetches the partition's next batch at once;
 * 2. **deliver** (the delivery mode, behind the computation): produce the predictions and make
 *    the states durable — at-least-once writes them after the acknowledgement, exactly-once
 *    stages them and commits a transaction per commit interval;
 * 3. **commit**: offsets only ever cover batches whose states are durable.
 *
 * Who owns a partition's state: its {@link OwnedPartition}, made at the partition's first batch
 * of an assignment with a new fencing epoch. A new assignment, a fenced write or a failed
 * delivery ends it: its cached states and undelivered batches are dropped, and the partition is
 * read again from its committed offset (after a backoff when it failed), so nothing is skipped
 * and the states in Redis make the replay skip what was already applied.
 */
export class PredictorPipeline implements DeliveryListener {
  private readonly owners = new Map<string, OwnedPartition>();
  /** Partitions that failed, by name: consecutive failures, and the owner that must recover. */
  private readonly troubled = new Map<string, { failures: number; since: OwnedPartition }>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private generation = -1;
  private stopping = false;

  constructor(private readonly options: PipelineOptions) {}

  /**
   * The consumer's batch callback (stage 1). Resolves `'left'` for a batch it did not take: one
   * of an older assignment, one a rewind made stale, or any once stopping.
   */
  async take(batch: PartitionBatch): Promise<'left' | undefined> {
    if (this.stopping || batch.isStale() || batch.generation < this.generation) return 'left';
    if (batch.generation > this.generation) this.newAssignment(batch.generation);
    let owner: OwnedPartition;
    try {
      owner = await this.ownerOf(batch);
    } catch (error) {
      // No owner took this batch: read the partition again from it.
      this.failed(this.placeholderOwner(batch), error, false);
      return 'left';
    }
    await this.roomFor(owner, batch);
    if (!owner.active || batch.isStale()) return 'left';
    // States the last batches made durable may go now, before this batch adds its own.
    this.options.cache.trim();
    try {
      const computed = await this.options.processor.process(batch, owner, this.options.serving());
      if (!owner.active) return 'left';
      this.options.delivery.submit(computed);
      return undefined;
    } catch (error) {
      this.failed(owner, error, false);
      return 'left';
    }
  }

  /** The consumer's assignment hook: partitions missing from it were revoked. */
  assigned(assignment: readonly TopicPartitions[]): void {
    const owned = new Set(
      assignment.flatMap(({ topic, partitions }) =>
        partitions.map((partition) => partitionName(topic, partition)),
      ),
    );
    for (const owner of this.owners.values()) {
      if (!owned.has(owner.name))
        this.options.metrics.partitionRevoked(owner.scope.topic, owner.scope.partition);
    }
    this.troubled.clear();
    for (const owner of this.owners.values()) this.end(owner);
    this.owners.clear();
  }

  /** Delivery lost `owner`'s batches: read the partition again from its committed offset. */
  failed(owner: OwnedPartition, error: unknown, fenced: boolean): void {
    if (!owner.active) return;
    this.end(owner);
    this.owners.delete(owner.name);
    const { metrics, logger } = this.options;
    metrics.error(fenced ? 'fenced' : errorKind(error));
    if (!fenced && error instanceof RnnflowError && !isRetriable(error)) {
      logger.error({ err: error, partition: owner.name }, 'batch failed and retrying cannot help');
      this.options.onFatal(error);
      return;
    }
    const trouble = this.troubled.get(owner.name);
    const failures =
      trouble !== undefined && owner.durableSequence === 0 ? trouble.failures + 1 : 1;
    this.troubled.set(owner.name, { failures, since: owner });
    const delayMs = backoffDelayMs(
      failures,
      this.options.retryInitialMs ?? 100,
      this.options.retryMaxMs ?? 5000,
      Math.random,
    );
    logger.warn(
      { err: error, partition: owner.name, failures, delayMs },
      fenced
        ? 'partition fenced: another predictor wrote it; reading it again from the committed offset'
        : 'batch failed; reading the partition again from the committed offset',
    );
    this.rewind(owner, delayMs);
  }

  /** Names of the partitions that failed and have not delivered a batch since. */
  unavailablePartitions(): string[] {
    const names: string[] = [];
    for (const [name, trouble] of this.troubled) {
      const owner = this.owners.get(name);
      if (owner !== undefined && owner !== trouble.since && owner.durableSequence > 0)
        this.troubled.delete(name);
      else names.push(name);
    }
    return names;
  }

  /** The partitions owned now. */
  owned(): Iterable<OwnedPartition> {
    return this.owners.values();
  }

  /** Takes no more batches, then waits for the delivery of those taken and commits them. */
  async drain(): Promise<void> {
    this.stopping = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    await this.options.delivery.drain();
  }

  private newAssignment(generation: number): void {
    for (const owner of this.owners.values()) this.end(owner);
    this.owners.clear();
    this.generation = generation;
  }

  /** Stands for a partition whose batch failed before it had an owner (epoch or Redis trouble). */
  private placeholderOwner(batch: PartitionBatch): OwnedPartition {
    const { topic, partition, generation } = batch;
    const committed = Number(batch.committedOffset);
    const first = Number(batch.records[0].offset);
    return new OwnedPartition({ topic, partition, epoch: 0 }, generation, committed, first);
  }

  private async ownerOf(batch: PartitionBatch): Promise<OwnedPartition> {
    const name = partitionName(batch.topic, batch.partition);
    const current = this.owners.get(name);
    if (current?.active) return current;
    const { topic, partition } = batch;
    const epoch = await this.options.serving().store.acquireEpoch({ topic, partition });
    const committed = Number(batch.committedOffset);
    const owner = new OwnedPartition({ topic, partition, epoch }, batch.generation, committed);
    // A rewind within this assignment continues from what the last owner committed.
    const previous = this.troubled.get(name)?.since;
    if (previous !== undefined && previous.generation === batch.generation)
      owner.committed(previous.committedOffset);
    this.owners.set(name, owner);
    return owner;
  }

  /** Backpressure: a partition's next batch waits while too many of its events are in flight. */
  private async roomFor(owner: OwnedPartition, batch: PartitionBatch): Promise<void> {
    if (owner.eventsInFlight + batch.records.length <= this.options.maxEventsInFlight) return;
    // The group must keep hearing from this member while it waits.
    const heartbeat = setInterval(() => void batch.heartbeat().catch(() => undefined), 1000);
    try {
      await owner.roomFor(batch.records.length, this.options.maxEventsInFlight);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private end(owner: OwnedPartition): void {
    owner.end();
    this.options.cache.drop(owner);
    this.options.delivery.release(owner);
  }

  private rewind(owner: OwnedPartition, delayMs: number): void {
    const { topic, partition } = owner.scope;
    const { consumer, logger } = this.options;
    try {
      consumer.rewind(topic, partition, String(owner.rewindOffset()));
    } catch (error) {
      // A consumer that stopped or lost the partition meanwhile has nothing to rewind: whoever
      // reads the partition next starts from its committed offset anyway.
      logger.debug({ err: error, partition: owner.name }, 'rewind skipped');
      return;
    }
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      try {
        consumer.resume(topic, partition);
      } catch (error) {
        logger.debug({ err: error, partition: owner.name }, 'resume skipped');
      }
    }, delayMs);
    this.resumeTimers.add(timer);
  }
}

function errorKind(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.toLowerCase() : 'unexpected';
}
