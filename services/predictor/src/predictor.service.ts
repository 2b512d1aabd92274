import { createLogger, type Logger } from '@rnnflow/logging';
import {
  createMetrics,
  createPredictorMetrics,
  type Metrics,
  type PredictorMetrics,
} from '@rnnflow/metrics';
import { ModelRegistry } from '@rnnflow/registry';
import type { RecurrentModel } from '@rnnflow/cells';
import type { RedisConnection } from '@rnnflow/redis';
import { StateInstrumentation, StateStore } from '@rnnflow/state';
import {
  consumerLifecycle,
  createKafkaClient,
  kafkaClientOptions,
  librdkafkaUnavailableReason,
  partitionName,
  resolveProducerClient,
  registerCompressionCodecs,
  type BatchConsumer,
  type KafkaClient,
  type ProducerClient,
  type TransactionalProducerPool,
} from '@rnnflow/stream';
import { AtLeastOnceDelivery } from './at-least-once.delivery.js';
import { BatchProcessor } from './batch.processor.js';
import type { Delivery, DeliveryListener } from './delivery.js';
import { ExactlyOnceDelivery } from './exactly-once.delivery.js';
import { loadServingModel } from './model.loader.js';
import { ModelSwapper } from './model.swapper.js';
import type { OwnedPartition } from './owned.partition.js';
import { attachInstrumentation } from './predictor.instrumentation.js';
import { PredictorPipeline } from './predictor.pipeline.js';
import type { PredictorSettings } from './predictor.settings.js';
import { StateCache } from './state.cache.js';
import { StateWriteBatcher } from './state.write.batcher.js';
import { beginStartup, type PredictorStartup } from './predictor.startup.js';
import type { ServingModel } from './serving.model.js';
import { closeAll, withinDeadline } from '@rnnflow/errors';
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
  const startup = await beginStartup(settings, {
    metrics,
    logger,
    serveMetrics: options.metricsServer !== false,
  });
  try {
    const predictor = await withinDeadline(
      compose({ settings, logger, recorder, metrics, startup }),
      settings.startupTimeoutMs,
      () =>
        `the predictor did not join consumer group "${settings.groupId}" within ${settings.startupTimeoutMs} ms: check the brokers, or raise RNNFLOW_STARTUP_TIMEOUT_MS (--startup-timeout-ms)`,
    );
    return { ...predictor, stop: () => startup.close() };
  } catch (error) {
    await startup.close();
    throw error;
  }
}

interface Composition {
  settings: PredictorSettings;
  logger: Logger;
  recorder: PredictorMetrics;
  metrics: Metrics;
  /** Redis, the metrics server and what to close on stop, opened by the start sequence. */
  startup: PredictorStartup;
}

/** The model, the consumer, the pipeline and its delivery, and readiness. */
async function compose(parts: Composition): Promise<PredictorHandle> {
  const { settings, logger, recorder, metrics, startup } = parts;
  const { redis, closers } = startup;
  const registry = new ModelRegistry(redis);
  const stateEvents = new StateInstrumentation();
  const storeFor = stateStores(redis, settings, stateEvents);
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
  const detachInstrumentation = attachInstrumentation(
    { kafka, state: stateEvents },
    recorder,
    logger,
  );
  closers.push(async () => {
    detachInstrumentation();
    await kafka.close();
  });
  const fetchWaitMs =
    settings.fetchMaxWaitMs === 'auto' ? await kafka.autoFetchWaitMs() : settings.fetchMaxWaitMs;

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
    maxWaitTimeMs: fetchWaitMs,
    ...consumerLifecycle(logger, {
      assigned: async (assignment) => {
        pipeline.assigned(assignment);
        await producers?.retain(assignment);
      },
      crashed: (error) => crashed(error),
    }),
  });
  const cache = new StateCache(settings.stateCacheKeys);
  const producers =
    settings.delivery === 'exactly-once'
      ? kafka.transactionalProducers({ consumerGroupId: settings.groupId })
      : undefined;
  const listener: DeliveryListener = { failed: (...args) => pipeline.failed(...args) };
  const delivery: Delivery =
    producers === undefined
      ? atLeastOnce({ settings, kafka, consumer, recorder, logger, closers, listener }, () =>
          pipeline.owned(),
        )
      : exactlyOnce({ settings, producers, logger, closers, listener });
  const pipeline: PredictorPipeline = new PredictorPipeline({
    processor: new BatchProcessor({
      cache,
      metrics: recorder,
      topics: { output: settings.outputTopic, deadLetter: settings.deadLetterTopic },
      maxValueBytes: settings.maxValueBytes,
      swapPolicy: settings.swapStatePolicy,
      rewarmWindow: settings.rewarmWindow,
      keepInputs: settings.keepInputs,
      labelFeatures: settings.labelFeatures,
      readsPending: producers !== undefined,
    }),
    delivery,
    cache,
    consumer,
    metrics: recorder,
    logger,
    serving: () => swapper.current(),
    maxEventsInFlight: settings.maxEventsInFlight,
    onFatal: (error) => crashed(error instanceof Error ? error : new Error(String(error))),
  });
  delivery.start();
  await consumer.run((batch) => pipeline.take(batch));
  closers.unshift(async () => {
    await pipeline.drain();
    await consumer.stop();
  });

  const lagTimer = setInterval(() => void reportLag(consumer, recorder, logger), LAG_POLL_MS);
  const ready = () =>
    healthy &&
    consumer.isRunning() &&
    startup.redisHealth.healthy() &&
    pipeline.unavailablePartitions().length === 0;
  // The gauges are what alerts see; /readyz asks `ready` itself.
  const gaugeTimer = setInterval(() => {
    recorder.ready(ready());
    reportPipeline(pipeline, cache, recorder);
  }, READY_GAUGE_MS);
  recorder.ready(ready());
  closers.unshift(async () => {
    clearInterval(lagTimer);
    clearInterval(gaugeTimer);
    recorder.ready(false);
  });
  startup.serve(ready);
  logger.info(
    {
      metricsPort: startup.server?.port,
      delivery: settings.delivery,
      input: settings.inputTopic,
      fetchWaitMs,
      commitIntervalMs: settings.commitIntervalMs,
      stateCacheKeys: settings.stateCacheKeys,
    },
    'predictor running',
  );

  return {
    metricsPort: startup.server?.port,
    metrics,
    ready,
    serving: () => swapper.current(),
    failed,
    stop: () => closeAll(closers),
  };
}

interface DeliveryParts {
  settings: PredictorSettings;
  logger: Logger;
  closers: (() => Promise<unknown>)[];
  listener: DeliveryListener;
}

function atLeastOnce(
  parts: DeliveryParts & {
    kafka: KafkaClient;
    consumer: BatchConsumer;
    recorder: PredictorMetrics;
  },
  owners: () => Iterable<OwnedPartition>,
): Delivery {
  const { settings, kafka, consumer, recorder, logger, closers, listener } = parts;
  const client = producerClient(settings.kafkaProducer);
  logger.info({ producer: client }, `producing predictions with ${client}`);
  const producer = kafka.producer({ client });
  closers.push(() => producer.disconnect());
  return new AtLeastOnceDelivery({
    producer,
    writer: new StateWriteBatcher(settings.stateTtlMs),
    commit: (offsets) => consumer.commit(offsets),
    owners,
    commitIntervalMs: settings.commitIntervalMs,
    listener,
    metrics: recorder,
    logger,
  });
}

function exactlyOnce(parts: DeliveryParts & { producers: TransactionalProducerPool }): Delivery {
  const { settings, producers, logger, closers, listener } = parts;
  closers.push(() => producers.close());
  return new ExactlyOnceDelivery({
    producers,
    ttlMs: settings.stateTtlMs,
    commitIntervalMs: settings.commitIntervalMs,
    listener,
    logger,
  });
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

/** Pipeline depth, the oldest uncommitted batch's age and the state cache, for the gauges. */
function reportPipeline(
  pipeline: PredictorPipeline,
  cache: StateCache,
  recorder: PredictorMetrics,
): void {
  let batches = 0;
  let oldest: number | undefined;
  for (const owner of pipeline.owned()) {
    batches += owner.batchesInFlight;
    const taken = owner.oldestUncommittedAtMs;
    if (taken !== undefined && (oldest === undefined || taken < oldest)) oldest = taken;
  }
  recorder.pipeline({
    batchesInFlight: batches,
    oldestUncommittedSeconds: oldest === undefined ? 0 : (Date.now() - oldest) / 1000,
    unavailablePartitions: pipeline.unavailablePartitions().length,
  });
  recorder.stateCache({ keys: cache.size, ...cache.takeCounts() });
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
        .flatMap(({ topic, partitions }) =>
          partitions.map((partition) => partitionName(topic, partition)),
        ),
    );
    for (const lag of await consumer.fetchLag()) {
      if (owned.has(partitionName(lag.topic, lag.partition)))
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
  instrumentation: StateInstrumentation,
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
        instrumentation,
      });
      stores.set(model.fingerprint, store);
    }
    return store;
  };
}
