import type { Batch, Consumer, ConsumerRunConfig, EachBatchPayload, Kafka } from 'kafkajs';
import { AssignmentGate } from './assignment.gate.js';
import {
  partitionLag,
  type PartitionLag,
  type PartitionOffset,
  type PartitionWatermarks,
} from './consumer.lag.js';
import { GroupRejoins } from './group.rejoin.js';
import { rebalanceErrorIn, toStreamError } from './kafka.errors.js';
import { partitionName } from './partition.name.js';
import { retry, type RetryOptions } from './retry.policy.js';
import type { StreamError } from './stream.errors.js';
import type { StreamInstrumentation, TopicPartitions } from './stream.instrumentation.js';
import { toConsumedRecord, type ConsumedRecord } from './stream.records.js';

/** Options of a {@link BatchConsumer}. Durations are milliseconds. */
/**
 * What a consumer uses of the client that made it: its instrumentation and two offset queries
 * (the client's admin connection answers them).
 */
export interface ConsumerClient {
  readonly instrumentation: StreamInstrumentation;
  fetchCommittedOffsets(groupId: string, topic: string): Promise<PartitionOffset[]>;
  fetchWatermarks(topic: string): Promise<PartitionWatermarks[]>;
}

export interface BatchConsumerOptions {
  /** Consumer group; members of one group share the partitions. */
  groupId: string;
  topics: readonly string[];
  /** Where a group with no committed offset starts: `earliest` (default) or `latest`. */
  startFrom?: 'earliest' | 'latest';
  /** Skip records of aborted transactions (read_committed). Default true. */
  readCommitted?: boolean;
  /** Partitions whose batches are handled at the same time. Default 1. */
  partitionsConsumedConcurrently?: number;
  /** Fetch size limit per partition, bytes. Default 1 MiB. */
  maxBytesPerPartition?: number;
  /** Longest a fetch waits for data. Default 5000. */
  maxWaitTimeMs?: number;
  /** The group drops a member silent for this long. Default 30 000. */
  sessionTimeoutMs?: number;
  /** Heartbeat period, well under `sessionTimeoutMs`. Default 3000. */
  heartbeatIntervalMs?: number;
  /**
   * Called with the complete new assignment after each group join, and awaited before any
   * batch of that assignment is handled. Partitions missing from it were revoked.
   *
   * Limitation (kafkajs): there is no revocation callback before the rebalance. A batch of a
   * revoked partition may still be in flight when this runs (its `isStale()` turns true only
   * on seeks); commits of revoked partitions fail, and transactions of revoked partitions are
   * fenced once the new owner initialises its producer.
   */
  onAssignment?: (assignment: TopicPartitions[]) => void | Promise<void>;
  /** Told when the consumer stops on an error it could not recover from. */
  onCrash?: (error: StreamError) => void;
  /**
   * Told when the group coordinator refused this member while it joined, before it joins again
   * in `delayMs` (see {@link GroupRejoins}).
   */
  onRejoin?: (error: StreamError, delayMs: number) => void;
  /** Retries of the initial connection while no broker is reachable. */
  connectRetry?: RetryOptions;
}

/** A partition's offset to commit: the offset after its last handled record, decimal int64. */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** One partition's batch, as handed to a {@link BatchHandler}. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  /** In offset order, ≥ 1 record; control records and aborted transactions already removed. */
  records: ConsumedRecord[];
  /** Offset after the partition's last (stable) record when fetched, decimal int64. */
  highWatermark: string;
  /** Counts this member's assignments: every group join starts a new one. */
  generation: number;
  /**
   * The offset the group had committed for this partition when the assignment began, decimal
   * int64, `-1` when none: where this member started reading it.
   */
  committedOffset: string;
  /** True once the consumer has been moved off this batch (seek); stop and do not commit. */
  isStale(): boolean;
  /** Tells the group this member is alive; call it during long batches. */
  heartbeat(): Promise<void>;
}

/**
 * Handles one batch. Resolving marks the batch consumed (the next fetch starts after it),
 * unless it resolves `'left'`: the batch was not taken and is fetched again (from wherever a
 * {@link BatchConsumer.rewind} moved the partition). Committing is the handler's job
 * ({@link BatchConsumer.commit}, or `sendOffsets` in a transaction). Throwing a group-rebalance
 * error ({@link isGroupRebalanceError}) leaves the batch uncommitted and makes the member rejoin
 * the group at once; any other error makes kafkajs retry the batch with backoff, then restart
 * the consumer.
 */
export type BatchHandler = (batch: PartitionBatch) => Promise<void | 'left'>;

/**
 * A consumer-group member that hands each partition's fetched records to one handler, never
 * auto-commits, and never marks a batch consumed before the handler has finished it.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private readonly gate: AssignmentGate;
  private readonly positions = new Map<string, string>();
  private readonly rejoins = new GroupRejoins();
  private currentAssignment: TopicPartitions[] = [];
  private running = false;
  private stopped = false;
  private runConfig: ConsumerRunConfig | undefined;
  private rejoinTimer: NodeJS.Timeout | undefined;
  /** A rebalance some call outside a batch handler ran into; the next batch makes kafkajs rejoin. */
  private rebalance: Error | undefined;

  /** @internal use `KafkaClient.batchConsumer()`. */
  constructor(
    kafka: Kafka,
    private readonly client: ConsumerClient,
    private readonly options: BatchConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      readUncommitted: !(options.readCommitted ?? true),
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 5000,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3000,
      allowAutoTopicCreation: false,
    });
    this.gate = new AssignmentGate((topics) => this.committedOffsets(topics));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) =>
      this.joined(payload.memberAssignment),
    );
    this.consumer.on(this.consumer.events.REBALANCING, () => this.rejoins.joinStarted());
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.crashed(toStreamError(payload.error, 'consume'));
    });
  }

  /** The partitions this member owns since its last group join. */
  assignment(): TopicPartitions[] {
    return this.currentAssignment.map(({ topic, partitions }) => ({
      topic,
      partitions: [...partitions],
    }));
  }

  /**
   * Connects, subscribes and starts handing batches to `handler`; resolves once the consumer
   * runs (the group join and the first batches follow asynchronously).
   */
  async run(handler: BatchHandler): Promise<void> {
    await connectWithRetry(this.consumer, this.options.connectRetry);
    try {
      await this.consumer.subscribe({
        topics: [...this.options.topics],
        fromBeginning: (this.options.startFrom ?? 'earliest') === 'earliest',
      });
      this.runConfig = {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.handleBatch(payload, handler),
      };
      this.rejoins.joinStarted();
      await this.consumer.run(this.runConfig);
    } catch (error) {
      throw toStreamError(error, 'consume');
    }
    this.running = true;
  }

  /**
   * Commits, in one request, each partition's `offset`: the offset after its last handled
   * record. A commit that finds the group rebalancing makes the member rejoin, unless it has
   * joined again since the commit was sent (the answer then speaks of a generation that is
   * over), and throws either way: nothing was committed.
   */
  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const generation = this.gate.currentGeneration;
    try {
      await this.client.instrumentation.timeCall(
        'commit',
        () => this.consumer.commitOffsets(offsets.map((offset) => ({ ...offset }))),
        (error) => toStreamError(error, 'commit'),
      );
    } catch (error) {
      // kafkajs rejoins when a handler throws its rebalance error or a heartbeat finds out; a
      // commit on a timer is neither, so the next batch throws it.
      if (generation === this.gate.currentGeneration) this.rebalance ??= rebalanceErrorIn(error);
      throw error;
    }
  }

  /**
   * Moves a partition's next fetch to `offset` (batches already fetched turn stale) and stops
   * fetching it until {@link resume}. How a handler gives up on records it had accepted.
   */
  rewind(topic: string, partition: number, offset: string): void {
    this.consumer.pause([{ topic, partitions: [partition] }]);
    this.consumer.seek({ topic, partition, offset });
  }

  /** Fetches a partition {@link rewind} stopped again. */
  resume(topic: string, partition: number): void {
    this.consumer.resume([{ topic, partitions: [partition] }]);
  }

  /** Offsets this consumer's group has committed on `topic`. */
  fetchCommittedOffsets(topic: string): Promise<PartitionOffset[]> {
    return this.client.fetchCommittedOffsets(this.options.groupId, topic);
  }

  /** Lag of every partition of the subscribed topics (see {@link partitionLag}). */
  async fetchLag(): Promise<PartitionLag[]> {
    const lags: PartitionLag[] = [];
    for (const topic of this.options.topics) {
      const [watermarks, committed] = await Promise.all([
        this.client.fetchWatermarks(topic),
        this.fetchCommittedOffsets(topic),
      ]);
      for (const { partition, low, high } of watermarks) {
        lags.push(
          partitionLag({
            topic,
            partition,
            low,
            high,
            committed: committed.find((c) => c.partition === partition)?.offset ?? '-1',
            position: this.positions.get(partitionName(topic, partition)),
          }),
        );
      }
    }
    return lags;
  }

  /**
   * Waits for the batches being handled (whose handlers commit them), then leaves the group so
   * its partitions move to other members at once rather than after the session timeout.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    clearTimeout(this.rejoinTimer);
    try {
      await this.consumer.stop();
      await this.consumer.disconnect();
    } catch (error) {
      throw toStreamError(error, 'disconnect');
    }
  }

  /** Whether {@link run} has started and {@link stop} was not called. */
  isRunning(): boolean {
    return this.running;
  }

  private crashed(error: StreamError): void {
    const delayMs = this.stopped ? undefined : this.rejoins.nextDelayMs(error);
    if (delayMs === undefined) {
      this.options.onCrash?.(error);
      return;
    }
    this.options.onRejoin?.(error, delayMs);
    this.rejoinTimer = setTimeout(() => void this.rejoin(), delayMs);
  }

  /** kafkajs has disconnected the crashed consumer; it keeps its subscription for the next run. */
  private async rejoin(): Promise<void> {
    if (this.stopped || this.runConfig === undefined) return;
    try {
      this.rejoins.joinStarted();
      await connectWithRetry(this.consumer, this.options.connectRetry);
      await this.consumer.run(this.runConfig);
    } catch (error) {
      this.crashed(toStreamError(error, 'consume'));
    }
  }

  private joined(memberAssignment: Record<string, number[]>): void {
    this.rejoins.joined();
    this.rebalance = undefined;
    this.currentAssignment = Object.entries(memberAssignment)
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
    this.positions.clear();
    const assignment = this.assignment();
    this.gate.open(assignment, () => this.options.onAssignment?.(assignment));
  }

  private async handleBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch } = payload;
    const rebalance = this.rebalance;
    this.rebalance = undefined;
    if (rebalance !== undefined) throw rebalance;
    const skipTo = await this.gate.firstOffsetFor(
      batch.topic,
      batch.partition,
      batch.firstOffset(),
    );
    if (skipTo !== undefined) {
      // The group committed past this batch after kafkajs fetched its start offset (a
      // previous owner's transaction that finished during the rebalance): skip ahead.
      this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: skipTo });
      return;
    }
    let left = false;
    try {
      const committed = await this.gate.committedOffset(batch.topic, batch.partition);
      left = (await handler(this.toPartitionBatch(payload, committed))) === 'left';
    } catch (error) {
      // kafkajs rejoins only on its own protocol error, recognised by its type.
      throw rebalanceErrorIn(error) ?? error;
    }
    if (left) return;
    const last = lastOffset(batch);
    payload.resolveOffset(last);
    this.positions.set(partitionName(batch.topic, batch.partition), (BigInt(last) + 1n).toString());
  }

  private toPartitionBatch(payload: EachBatchPayload, committed: bigint): PartitionBatch {
    const { batch } = payload;
    return {
      topic: batch.topic,
      partition: batch.partition,
      records: batch.messages.map(toConsumedRecord),
      highWatermark: batch.highWatermark,
      generation: this.gate.currentGeneration,
      committedOffset: committed.toString(),
      isStale: payload.isStale,
      heartbeat: payload.heartbeat,
    };
  }

  private async committedOffsets(topics: readonly string[]): Promise<Map<string, bigint>> {
    const offsets = new Map<string, bigint>();
    for (const topic of topics) {
      for (const { partition, offset } of await this.fetchCommittedOffsets(topic)) {
        offsets.set(partitionName(topic, partition), BigInt(offset));
      }
    }
    return offsets;
  }
}

/** Offset of the last record handed to the handler (kafkajs then skips a trailing control record). */
function lastOffset(batch: Batch): string {
  return batch.messages[batch.messages.length - 1].offset;
}

async function connectWithRetry(
  consumer: Consumer,
  options: RetryOptions | undefined,
): Promise<void> {
  try {
    await retry(() => consumer.connect(), {
      ...options,
      shouldRetry: (error) => toStreamError(error, 'connect').retriable,
    });
  } catch (error) {
    throw toStreamError(error, 'connect');
  }
}
