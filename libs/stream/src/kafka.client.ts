import kafkajs, { type Admin, type Kafka, type SASLOptions } from 'kafkajs';
import { BatchConsumer, type BatchConsumerOptions } from './batch.consumer.js';
import type { PartitionOffset, PartitionWatermarks } from './consumer.lag.js';
import { registerCompressionCodecs } from './compression.codecs.js';
import { toStreamError } from './kafka.errors.js';
import { kafkaLogLevel, routeKafkaLogs } from './kafka.log.js';
import type { KafkaClientOptions } from './kafka.options.js';
import { librdkafkaProducerConfig } from './librdkafka.config.js';
import { loadLibrdkafka } from './librdkafka.module.js';
import { LibrdkafkaProducer } from './librdkafka.producer.js';
import type { ProducerClient, RecordProducer } from './record.producer.js';
import { StreamProducer, type StreamProducerOptions } from './stream.producer.js';
import { noDelaySocketFactory } from './socket.factory.js';
import { StreamOptionError } from './stream.errors.js';
import type { Unsubscribe } from '@rnnflow/instrumentation';
import { StreamInstrumentation, type StreamEvents } from './stream.instrumentation.js';
import { TransactionalProducerPool, type TransactionalPoolOptions } from './transactional.pool.js';

/** librdkafka's mock cluster names itself `mockCluster<hex>`. */
const MOCK_CLUSTER_ID_PREFIX = 'mockCluster';
const MOCK_FETCH_WAIT_MS = 10;
/** Kafka's consumer default `fetch.max.wait.ms`. */
const KAFKA_FETCH_WAIT_MS = 500;

/**
 * rnnflow's handle on one Kafka cluster: the only way the rest of rnnflow reaches Kafka. Makes
 * consumers and producers that share its connection settings and instrumentation.
 */
export class KafkaClient {
  /** Named events of every consumer and producer made by this client. */
  readonly instrumentation = new StreamInstrumentation();
  private adminConnection: Promise<Admin> | undefined;
  private adminClient: Admin | undefined;

  /** @internal use {@link createKafkaClient}. */
  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaClientOptions,
  ) {}

  /** Subscribes to an instrumentation event; returns the function that unsubscribes. */
  on<E extends keyof StreamEvents>(
    event: E,
    listener: (event: StreamEvents[E]) => void,
  ): Unsubscribe {
    return this.instrumentation.on(event, listener);
  }

  /** A consumer-group member reading batches per partition with manual commits. */
  batchConsumer(options: BatchConsumerOptions): BatchConsumer {
    return new BatchConsumer(this.kafka, this, options);
  }

  /** A non-transactional kafkajs producer (acks from all in-sync replicas). */
  producer(options?: StreamProducerOptions): StreamProducer;
  /**
   * A non-transactional producer on `client`: kafkajs, or librdkafka (node-rdkafka, an optional
   * dependency; see `resolveProducerClient`), which costs the event loop far less per record.
   * @throws StreamOptionError when librdkafka is asked for and cannot be loaded.
   */
  producer(options: StreamProducerOptions & { client: ProducerClient }): RecordProducer;
  producer(options: StreamProducerOptions & { client?: ProducerClient } = {}): RecordProducer {
    if (options.client !== 'librdkafka') {
      return new StreamProducer(this.kafka, this.instrumentation, options);
    }
    const { module, reason } = loadLibrdkafka();
    if (module === undefined) {
      throw new StreamOptionError(
        `the librdkafka producer needs node-rdkafka, which did not load (${reason}); ` +
          'run npm ci where a C++ compiler, make and python3 are installed, or produce with kafkajs',
      );
    }
    const deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
    const config = librdkafkaProducerConfig(this.options, {
      compression: options.compression ?? 'none',
      deliveryTimeoutMs,
    });
    return new LibrdkafkaProducer(module, config, this.instrumentation, {
      deliveryTimeoutMs,
      connectRetry: options.connectRetry,
      log: this.options.log,
      binaryHeaderProducer: () => new StreamProducer(this.kafka, this.instrumentation, options),
    });
  }

  /** One transactional producer per input partition, for exactly-once processing. */
  transactionalProducers(options: TransactionalPoolOptions): TransactionalProducerPool {
    return new TransactionalProducerPool(this.kafka, this.instrumentation, options);
  }

  /** Offsets `groupId` has committed on each partition of `topic`. */
  async fetchCommittedOffsets(groupId: string, topic: string): Promise<PartitionOffset[]> {
    return this.instrumentation.timeCall(
      'fetch-offsets',
      async () => {
        const admin = await this.admin();
        const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return (topicOffsets?.partitions ?? [])
          .map(({ partition, offset }) => ({ partition, offset }))
          .sort((a, b) => a.partition - b.partition);
      },
      (error) => toStreamError(error, 'fetch-offsets'),
    );
  }

  /**
   * Low and high watermarks of each partition of `topic`. Offsets are listed read_committed, so
   * `high` is the last stable offset: the end a read_committed consumer can reach.
   */
  async fetchWatermarks(topic: string): Promise<PartitionWatermarks[]> {
    return this.instrumentation.timeCall(
      'fetch-offsets',
      async () => {
        const admin = await this.admin();
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets
          .map(({ partition, low, high }) => ({ partition, low, high }))
          .sort((a, b) => a.partition - b.partition);
      },
      (error) => toStreamError(error, 'fetch-offsets'),
    );
  }

  /**
   * The fetch wait to use when the setting says `auto`: Kafka's own default (500 ms; Kafka
   * answers a fetch as soon as records arrive), or 10 ms on librdkafka's mock cluster (the
   * embedded broker), which answers a fetch that finds nothing only when the whole wait is over.
   */
  async autoFetchWaitMs(): Promise<number> {
    const { clusterId } = await this.instrumentation.timeCall(
      'metadata',
      async () => (await this.admin()).describeCluster(),
      (error) => toStreamError(error, 'metadata'),
    );
    return clusterId.startsWith(MOCK_CLUSTER_ID_PREFIX) ? MOCK_FETCH_WAIT_MS : KAFKA_FETCH_WAIT_MS;
  }

  /**
   * Disconnects the shared admin connection, if one was opened. Consumers and producers close on
   * their own. A connection still being made is dropped without waiting for it: against an
   * unreachable broker that wait is as long as every retry.
   */
  async close(): Promise<void> {
    const admin = this.adminClient;
    this.adminClient = undefined;
    this.adminConnection = undefined;
    await admin?.disconnect().catch(() => {});
  }

  private admin(): Promise<Admin> {
    if (this.adminConnection === undefined) {
      const admin = this.kafka.admin();
      const connecting = admin.connect().then(() => admin);
      // A failed connection is forgotten, so that the next call tries again.
      connecting.catch(() => {
        if (this.adminConnection === connecting) this.adminConnection = undefined;
      });
      this.adminClient = admin;
      this.adminConnection = connecting;
    }
    return this.adminConnection;
  }
}

/**
 * How long the librdkafka producer keeps retrying a record before `sendBatch` fails: long enough
 * to ride out a leader change, short enough that the caller's own retry (and readiness) sees an
 * outage well within a consumer session.
 */
const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

const SASL_MECHANISMS = new Set(['plain', 'scram-sha-256', 'scram-sha-512']);

/**
 * Creates rnnflow's Kafka client. Registers the snappy, lz4 and zstd codecs (process-wide) and
 * routes the client's logs to `options.log`. Fails fast with {@link StreamOptionError} on an
 * empty broker list or client id, or incomplete SASL credentials. Connects lazily.
 */
export function createKafkaClient(options: KafkaClientOptions): KafkaClient {
  validateClientOptions(options);
  registerCompressionCodecs();
  const kafka = new kafkajs.Kafka({
    brokers: [...options.brokers],
    clientId: options.clientId,
    ssl: options.ssl,
    sasl: options.sasl as SASLOptions | undefined,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { retries: options.requestRetries ?? 5 },
    logLevel: kafkaLogLevel(options.logLevel ?? 'warn'),
    logCreator: routeKafkaLogs(options.log),
    socketFactory: noDelaySocketFactory,
  });
  return new KafkaClient(kafka, options);
}

function validateClientOptions(options: KafkaClientOptions): void {
  if (options.brokers.length === 0 || options.brokers.some((broker) => !/^\S+:\d+$/.test(broker))) {
    throw new StreamOptionError(
      `brokers must be a non-empty list of host:port, got ${JSON.stringify(options.brokers)}`,
    );
  }
  if (options.clientId.trim() === '') {
    throw new StreamOptionError('clientId must not be empty');
  }
  const sasl = options.sasl;
  if (sasl !== undefined) {
    if (!SASL_MECHANISMS.has(sasl.mechanism)) {
      throw new StreamOptionError(
        `sasl.mechanism must be plain, scram-sha-256 or scram-sha-512, got "${sasl.mechanism}"`,
      );
    }
    if (sasl.username === '' || sasl.password === '') {
      throw new StreamOptionError('sasl needs a non-empty username and password');
    }
  }
}
