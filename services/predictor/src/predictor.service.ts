import { createLogger, type Logger } from '@rnnflow/logging';
import {
  createMetrics,
  createPredictorMetrics,
  startMetricsServer,
  type Metrics,
  type MetricsServerHandle,
  type PredictorMetrics,
} from '@rnnflow/metrics';
import { ModelRegistry } from '@rnnflow/registry';
import type { RecurrentModel } from '@rnnflow/cells';
import {
  createRedisConnection,
  redisConnectionOptions,
  StateStore,
  type RedisConnection,
} from '@rnnflow/state';
import {
  createKafkaClient,
  kafkaClientOptions,
  librdkafkaUnavailableReason,
  resolveProducerClient,
  registerCompressionCodecs,
  type BatchConsumer,
  type KafkaClient,
  type ProducerClient,
  type TopicPartitions,
} from '@rnnflow/stream';
import { AtLeastOnceDelivery } from './at-least-once.delivery.js';
import { BatchHandler } from './batch.handler.js';
import type { Delivery, StateWriter } from './delivery.js';
import { ExactlyOnceDelivery } from './exactly-once.delivery.js';
import { loadServingModel } from './model.loader.js';
import { ModelSwapper } from './model.swapper.js';
import { PartitionProcessor } from './partition.processor.js';
import type { PredictorSettings } from './predictor.settings.js';
import type { ServingModel } from './serving.model.js';
import { closeAll } from '@rnnflow/errors';
import { ConfigError } from '@rnnflow/config';

export interface PredictorHandle {
  /** Port of the /metrics, /healthz and /readyz server; undefined when started without it. */
  metricsPort: number | undefined;
  /** This process's metrics (a cluster worker hands them to its primary). */
  metrics: Metrics;
  /** Whether the predictor can take work now (what /readyz answers). */
  ready(): boolean;
  /**
   * Resolves if the consumer stops for good on an error it cannot recover from: the process
   * should then stop and exit non-zero, so that its supervisor restarts it.
   */
  failed: Promise<Error>;
  /** The model version serving now. */
  serving(): ServingModel;
  /** Finishes the batches in flight, commits, leaves the group and closes everything. */
  stop(): Promise<void>;
}

const LAG_POLL_MS = 5000;
const READY_GAUGE_MS = 1000;

export interface StartOptions {
  /**
   * Serve /metrics, /healthz and /readyz on `settings.metricsPort`. Default true; a cluster
   * worker leaves that to its primary.
   */
  metricsServer?: boolean;
}

/** A predictor serving its own /metrics, /healthz and /readyz. */
export type ServingPredictorHandle = PredictorHandle & { metricsPort: number };

/** Starts a predictor: the settings were validated; the model must have an active version. */
export async function startPredictor(
  settings: PredictorSettings,
  logger?: Logger,
  options?: StartOptions & { metricsServer?: true },
): Promise<ServingPredictorHandle>;
export async function startPredictor(
  settings: PredictorSettings,
  logger: Logger,
  options: StartOptions,
): Promise<PredictorHandle>;
export async function startPredictor(
  settings: PredictorSettings,
  logger: Logger = createLogger('predictor', settings.logLevel),
  options: StartOptions = {},
): Promise<PredictorHandle> {
  const metrics = createMetrics({ service: 'predictor' });
  const recorder = createPredictorMetrics(metrics);
  registerCompressionCodecs();
  const redis = await createRedisConnection(redisConnectionOptions(settings));
  const closers: (() => Promise<unknown>)[] = [() => redis.quit()];
  try {
    return await compose(settings, logger, recorder, metrics, redis, closers, options);
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function compose(
  settings: PredictorSettings,
  logger: Logger,
  recorder: PredictorMetrics,
  metrics: Metrics,
  redis: RedisConnection,
  closers: (() => Promise<unknown>)[],
  options: StartOptions,
): Promise<PredictorHandle> {
  const registry = new ModelRegistry(redis);
  const storeFor = stateStores(redis, settings);
  const version = await registry.requireActiveVersion(settings.model);
  const initial = await loadServingModel(registry, settings.model, version, storeFor);
  recorder.activeModelVersion(settings.model, version);
  logger.info(
    { model: settings.model, version, fingerprint: initial.recurrent.fingerprint },
    'serving model',
  );
  const swapper = new ModelSwapper(initial, { registry, metrics: recorder, logger, storeFor });
  await swapper.start();
  closers.unshift(() => swapper.stop());

  const kafka = createKafkaClient(kafkaClientOptions(settings, 'rnnflow-predictor', logger));
  kafka.on('call', (event) => recorder.kafkaCallSeconds(event.operation, event.seconds));
  closers.push(() => kafka.close());

  let crashed: (error: Error) => void = () => {};
  let healthy = true;
  const failed = new Promise<Error>((resolve) => (crashed = resolve)).finally(
    () => (healthy = false),
  );
  const consumer = kafka.batchConsumer({
    groupId: settings.groupId,
    topics: [settings.inputTopic],
    partitionsConsumedConcurrently: settings.partitionsConcurrently,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    heartbeatIntervalMs: Math.floor(settings.sessionTimeoutMs / 10),
    maxWaitTimeMs: settings.fetchMaxWaitMs,
    onAssignment: (assignment: TopicPartitions[]) => {
      handler.assigned(assignment);
      logger.info({ assignment }, 'partitions assigned');
    },
    onRejoin: (error, delayMs) =>
      logger.warn(
        { err: error, delayMs },
        'the group coordinator refused this member while it joined; joining again',
      ),
    onCrash: (error) => {
      logger.error({ err: error }, 'consumer stopped on an error it could not recover from');
      crashed(error);
    },
  });
  const writer: StateWriter = { ttlMs: settings.stateTtlMs };
  const delivery = createDelivery(
    settings,
    kafka,
    writer,
    logger,
    (topic, partition, offset) => consumer.commit(topic, partition, offset),
    closers,
  );
  const processor = new PartitionProcessor({
    delivery,
    metrics: recorder,
    topics: { output: settings.outputTopic, deadLetter: settings.deadLetterTopic },
    maxValueBytes: settings.maxValueBytes,
    swapPolicy: settings.swapStatePolicy,
    rewarmWindow: settings.rewarmWindow,
    keepInputs: settings.keepInputs,
    labelFeatures: settings.labelFeatures,
  });
  const handler = new BatchHandler({
    processor,
    metrics: recorder,
    logger,
    serving: () => swapper.current(),
    onPartitionStart:
      delivery instanceof ExactlyOnceDelivery
        ? (topic, partition) =>
            loadCommittedOffset(kafka, settings.groupId, topic, partition, delivery)
        : undefined,
  });
  await consumer.run((batch) => handler.handle(batch));
  closers.unshift(async () => {
    handler.stop();
    await consumer.stop();
  });

  const lagTimer = setInterval(() => void reportLag(consumer, recorder, logger), LAG_POLL_MS);
  const ready = () => healthy && consumer.isRunning() && handler.healthy();
  // The gauge is what alerts see; /readyz asks `ready` itself.
  const readyTimer = setInterval(() => recorder.ready(ready()), READY_GAUGE_MS);
  recorder.ready(ready());
  closers.unshift(async () => {
    clearInterval(lagTimer);
    clearInterval(readyTimer);
    recorder.ready(false);
  });
  const server = await startServer(settings, metrics, ready, options);
  if (server !== undefined) closers.push(() => server.close());
  logger.info(
    { metricsPort: server?.port, delivery: settings.delivery, input: settings.inputTopic },
    'predictor running',
  );

  return {
    metricsPort: server?.port,
    metrics,
    ready,
    serving: () => swapper.current(),
    failed,
    stop: () => closeAll(closers),
  };
}

function startServer(
  settings: PredictorSettings,
  metrics: Metrics,
  ready: () => boolean,
  options: StartOptions,
): Promise<MetricsServerHandle | undefined> {
  if (options.metricsServer === false) return Promise.resolve(undefined);
  return startMetricsServer({ port: settings.metricsPort, metrics, readiness: ready });
}

function createDelivery(
  settings: PredictorSettings,
  kafka: KafkaClient,
  writer: StateWriter,
  logger: Logger,
  commit: (topic: string, partition: number, offset: string) => Promise<void>,
  closers: (() => Promise<unknown>)[],
): Delivery {
  if (settings.delivery === 'exactly-once') {
    const pool = kafka.transactionalProducers({ consumerGroupId: settings.groupId });
    closers.push(() => pool.close());
    return new ExactlyOnceDelivery(pool, writer, (error) =>
      logger.warn({ err: error }, 'pending state cleanup failed; reads resolve it'),
    );
  }
  const client = producerClient(settings.kafkaProducer);
  logger.info({ producer: client }, `producing predictions with ${client}`);
  const producer = kafka.producer({ client });
  closers.push(() => producer.disconnect());
  return new AtLeastOnceDelivery(producer, writer, commit);
}

/** The client to produce with; asking for librdkafka where it cannot load fails at start, naming the setting. */
function producerClient(choice: PredictorSettings['kafkaProducer']): ProducerClient {
  const unavailable = librdkafkaUnavailableReason();
  if (choice !== 'librdkafka' || unavailable === undefined) return resolveProducerClient(choice);
  throw new ConfigError([
    `RNNFLOW_KAFKA_PRODUCER (--kafka-producer) is librdkafka, but node-rdkafka did not load (${unavailable}); ` +
      'run npm ci where a C++ compiler, make and python3 are installed, or set it to kafkajs',
  ]);
}

async function loadCommittedOffset(
  kafka: KafkaClient,
  groupId: string,
  topic: string,
  partition: number,
  delivery: ExactlyOnceDelivery,
): Promise<void> {
  const offsets = await kafka.fetchCommittedOffsets(groupId, topic);
  const committed = offsets.find((offset) => offset.partition === partition)?.offset ?? '-1';
  delivery.setCommittedOffset(topic, partition, Number(committed));
}

async function reportLag(
  consumer: BatchConsumer,
  recorder: PredictorMetrics,
  logger: Logger,
): Promise<void> {
  try {
    const owned = new Set(
      consumer
        .assignment()
        .flatMap(({ topic, partitions }) => partitions.map((partition) => `${topic}/${partition}`)),
    );
    for (const lag of await consumer.fetchLag()) {
      if (owned.has(`${lag.topic}/${lag.partition}`))
        recorder.consumerLag(lag.topic, lag.partition, Number(lag.lag));
    }
  } catch (error) {
    logger.debug({ err: error }, 'lag poll failed');
  }
}

/** One state store per architecture: versions that share a fingerprint share their states' store. */
function stateStores(
  redis: RedisConnection,
  settings: PredictorSettings,
): (model: RecurrentModel) => StateStore {
  const stores = new Map<string, StateStore>();
  return (model) => {
    let store = stores.get(model.fingerprint);
    if (store === undefined) {
      store = new StateStore({
        connection: redis,
        model: {
          name: settings.model,
          fingerprint: model.fingerprint,
          layout: model.stateLayout.vectors.map((vector) => vector.length),
        },
        idleTtlMs: settings.stateTtlMs,
        precision: settings.statePrecision,
      });
      stores.set(model.fingerprint, store);
    }
    return store;
  };
}
