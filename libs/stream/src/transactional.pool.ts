import { Partitioners, type Kafka, type Producer, type Transaction } from 'kafkajs';
import { compressionType, type Compression } from './compression.codecs.js';
import { isKafkaError, toStreamError } from './kafka.errors.js';
import type { RetryOptions } from './retry.policy.js';
import { TransactionFencedError } from './stream.errors.js';
import type { StreamInstrumentation, TopicPartitions } from './stream.instrumentation.js';
import { connectWithRetry } from './stream.producer.js';
import { produceRequests } from './produce.requests.js';
import type { TopicMessages } from './stream.records.js';

/** Options of a {@link TransactionalProducerPool}. */
export interface TransactionalPoolOptions {
  /** The consumer group whose input offsets the transactions commit; part of each transactional id. */
  consumerGroupId: string;
  /** Codec for produced batches. Default `none`. */
  compression?: Compression;
  /** How long the broker lets a transaction stay open before aborting it, ms. Default 60 000. */
  transactionTimeoutMs?: number;
  /** Retries of each producer's initial connection. */
  connectRetry?: RetryOptions;
}

/** Input offsets to commit inside a transaction: `offset` is the next offset to read. */
export interface TransactionOffsets {
  /** Default: the pool's `consumerGroupId`. */
  consumerGroupId?: string;
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

/** What a transaction's work can do; everything it does commits or aborts together. */
export interface TransactionScope {
  send(topicMessages: readonly TopicMessages[]): Promise<void>;
  sendOffsets(offsets: TransactionOffsets): Promise<void>;
}

/**
 * Transactional id of the producer owning one input partition. The classic (pre-KIP-447)
 * scheme: the id is bound to the input partition, so whichever process owns the partition next
 * reuses it, and the broker fences the previous owner by producer epoch.
 */
function transactionalIdFor(groupId: string, topic: string, partition: number): string {
  return `${groupId}-${topic}-${partition}`;
}

/** The transactional producer of one input partition. */
export class PartitionProducer {
  private queue: Promise<unknown> = Promise.resolve();

  /** @internal made by {@link TransactionalProducerPool.forPartition}. */
  constructor(
    readonly transactionalId: string,
    private readonly producer: Producer,
    private readonly instrumentation: StreamInstrumentation,
    private readonly options: TransactionalPoolOptions,
    private readonly onFenced: () => void,
  ) {}

  /**
   * Runs `work` in one transaction: commits when it resolves, aborts when it throws (and
   * rethrows: the work's own errors unchanged, Kafka failures as StreamErrors). Transactions of one producer run one after another. A fenced producer throws
   * {@link TransactionFencedError}: drop the batch, the partition's new owner redoes it.
   */
  transact<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    const run = this.queue.then(() =>
      this.instrumentation.timeCall(
        'transaction',
        () => this.runTransaction(work),
        (error) => this.mapError(error),
      ),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Opens and aborts an empty transaction: registers this producer's epoch, fencing older owners. */
  async initialize(): Promise<void> {
    await this.transact(async () => undefined);
  }

  /** @internal */
  async disconnect(): Promise<void> {
    await this.queue;
    await this.producer.disconnect();
  }

  private async runTransaction<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T> {
    const transaction = await this.producer.transaction();
    try {
      const result = await work(this.scope(transaction));
      await transaction.commit();
      return result;
    } catch (error) {
      await abortQuietly(transaction);
      throw error;
    }
  }

  private scope(transaction: Transaction): TransactionScope {
    const compression = compressionType(this.options.compression ?? 'none');
    return {
      send: async (topicMessages) => {
        for (const request of produceRequests(topicMessages)) {
          await transaction.sendBatch({ topicMessages: request, compression });
        }
      },
      sendOffsets: async ({ consumerGroupId, topics }) => {
        await transaction.sendOffsets({
          consumerGroupId: consumerGroupId ?? this.options.consumerGroupId,
          topics,
        });
      },
    };
  }

  /** Kafka failures become StreamErrors; errors of the caller's own work pass through as thrown. */
  private mapError(error: unknown): unknown {
    if (!isKafkaError(error)) return error;
    const mapped = toStreamError(error, 'transaction', this.transactionalId);
    if (mapped instanceof TransactionFencedError) this.onFenced();
    return mapped;
  }
}

/** Aborting after a failure is best effort: a fenced or disconnected producer cannot abort. */
async function abortQuietly(transaction: Transaction): Promise<void> {
  if (!transaction.isActive()) return;
  try {
    await transaction.abort();
  } catch {
    // The broker aborts the open transaction itself when it times out or is fenced.
  }
}

/**
 * One transactional producer per input partition, for exactly-once processing: produce and
 * `sendOffsets` in one transaction. Producers are made on first use; call {@link retain} with
 * each new assignment to close the producers of revoked partitions. A fenced producer is
 * closed at once: the partition's next `forPartition` makes a new one, whose initialisation
 * fences whichever producer holds the id then, so the caller decides when to come back (after
 * a rebalance, or a backoff).
 */
export class TransactionalProducerPool {
  private readonly producers = new Map<string, Promise<PartitionProducer>>();

  /** @internal use `KafkaClient.transactionalProducers()`. */
  constructor(
    private readonly kafka: Kafka,
    private readonly instrumentation: StreamInstrumentation,
    private readonly options: TransactionalPoolOptions,
  ) {}

  /** The consumer group whose offsets this pool's transactions commit. */
  get consumerGroupId(): string {
    return this.options.consumerGroupId;
  }

  /**
   * The producer of input partition `topic`/`partition`, connected and initialised (which
   * fences any older producer of the same partition).
   */
  forPartition(topic: string, partition: number): Promise<PartitionProducer> {
    const id = transactionalIdFor(this.options.consumerGroupId, topic, partition);
    let producer = this.producers.get(id);
    if (producer === undefined) {
      producer = this.create(id);
      producer.catch(() => this.producers.delete(id));
      this.producers.set(id, producer);
    }
    return producer;
  }

  /** Keeps the producers of `assignment` and closes the others (the partitions revoked by a rebalance). */
  async retain(assignment: readonly TopicPartitions[]): Promise<void> {
    const kept = new Set(
      assignment.flatMap(({ topic, partitions }) =>
        partitions.map((partition) =>
          transactionalIdFor(this.options.consumerGroupId, topic, partition),
        ),
      ),
    );
    await Promise.all(
      [...this.producers.keys()].filter((id) => !kept.has(id)).map((id) => this.release(id)),
    );
  }

  /** Waits for running transactions and closes every producer. */
  async close(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((id) => this.release(id)));
  }

  private async create(id: string): Promise<PartitionProducer> {
    // No `idempotent: true`: kafkajs would then also fetch a second, non-transactional producer
    // id at connect, which transactions never use (they send through their own idempotent
    // path) and which some brokers, the development mock among them, refuse.
    const producer = this.kafka.producer({
      transactionalId: id,
      maxInFlightRequests: 1,
      transactionTimeout: this.options.transactionTimeoutMs ?? 60_000,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await connectWithRetry(producer, this.options.connectRetry);
    const partitionProducer = new PartitionProducer(
      id,
      producer,
      this.instrumentation,
      this.options,
      () => void this.release(id),
    );
    try {
      await partitionProducer.initialize();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return partitionProducer;
  }

  private async release(id: string): Promise<void> {
    const producer = this.producers.get(id);
    this.producers.delete(id);
    await (await producer?.catch(() => undefined))?.disconnect();
  }
}
