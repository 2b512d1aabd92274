import { Partitioners, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { compressionType, type Compression } from './compression.codecs.js';
import { toStreamError } from './kafka.errors.js';
import { retry, type RetryOptions } from './retry.policy.js';
import type { StreamInstrumentation } from './stream.instrumentation.js';
import { produceRequests } from './produce.requests.js';
import type { RecordProducer } from './record.producer.js';
import type { TopicMessages } from './stream.records.js';

/** Options shared by rnnflow producers. */
export interface StreamProducerOptions {
  /** Codec for produced batches. Default `none`. zstd is read-only in rnnflow. */
  compression?: Compression;
  /**
   * Retries of the initial connection while no broker is reachable (rnnflow's retry helper;
   * kafkajs retries each request on its own). Default: 5 retries, 100 ms – 10 s.
   */
  connectRetry?: RetryOptions;
  /**
   * Most records per produce request (see `RECORDS_PER_REQUEST`, the default). Larger requests
   * make larger record batches, which some brokers (the embedded mock) hand out one per fetch.
   */
  maxRecordsPerRequest?: number;
  /**
   * librdkafka only: how long a record may wait for its acknowledgement, retries included,
   * before `sendBatch` fails. Default 10 s.
   */
  deliveryTimeoutMs?: number;
}

/** Where one produced batch landed. */
export interface ProducedOffset {
  topic: string;
  partition: number;
  /** Offset of the first record of the batch in its partition, decimal int64. */
  baseOffset: string;
}

/** Acknowledgement from every in-sync replica, so an acked record survives a leader loss. */
const ACKS_ALL = -1;

/**
 * A plain (non-transactional) producer. It is deliberately not idempotent: kafkajs's
 * idempotent mode needs an InitProducerId round trip that some brokers (among them the
 * development mock) refuse without transactions, and at-least-once delivery tolerates the
 * rare duplicate that a retried produce can create.
 */
export class StreamProducer implements RecordProducer {
  readonly client = 'kafkajs';
  private readonly producer: Producer;
  private connection: Promise<void> | undefined;

  /** @internal use `KafkaClient.producer()`. */
  constructor(
    kafka: Kafka,
    private readonly instrumentation: StreamInstrumentation,
    private readonly options: StreamProducerOptions,
  ) {
    this.producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** Connects, retrying while no broker is reachable. Called by `sendBatch` when needed. */
  connect(): Promise<void> {
    this.connection ??= connectWithRetry(this.producer, this.options.connectRetry).catch(
      (error: unknown) => {
        this.connection = undefined;
        throw error;
      },
    );
    return this.connection;
  }

  /**
   * Sends records to one or more topics in one request per broker and waits for acks from all
   * in-sync replicas. Throws a StreamError (retriable when the broker was unavailable).
   */
  async sendBatch(topicMessages: readonly TopicMessages[]): Promise<ProducedOffset[]> {
    await this.connect();
    return this.instrumentation.timeCall(
      'produce',
      async () => {
        const compression = compressionType(this.options.compression ?? 'none');
        const metadata: RecordMetadata[] = [];
        for (const request of produceRequests(topicMessages, this.options.maxRecordsPerRequest)) {
          metadata.push(
            ...(await this.producer.sendBatch({
              topicMessages: request,
              acks: ACKS_ALL,
              compression,
            })),
          );
        }
        return metadata.map(({ topicName, partition, baseOffset }) => ({
          topic: topicName,
          partition,
          baseOffset: baseOffset ?? '-1',
        }));
      },
      (error) => toStreamError(error, 'produce'),
    );
  }

  /** Waits for in-flight requests and closes the connections. */
  async disconnect(): Promise<void> {
    this.connection = undefined;
    await this.producer.disconnect();
  }
}

/** Connects a kafkajs producer, retrying with rnnflow's backoff while brokers are unreachable. */
export async function connectWithRetry(
  producer: Producer,
  options: RetryOptions | undefined,
): Promise<void> {
  try {
    await retry(() => producer.connect(), {
      ...options,
      shouldRetry: (error) => toStreamError(error, 'connect').retriable,
    });
  } catch (error) {
    throw toStreamError(error, 'connect');
  }
}
