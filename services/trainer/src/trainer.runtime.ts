import { decodeModel } from '@rnnflow/cells';
import type { Logger } from '@rnnflow/logging';
import {
  createMetrics,
  createTrainerMetrics,
  type Metrics,
  type TrainerMetrics,
} from '@rnnflow/metrics';
import { ModelRegistry } from '@rnnflow/registry';
import { createRedisConnection, redisConnectionOptions, RedisHealth } from '@rnnflow/state';
import {
  checkBrokers,
  consumerLifecycle,
  createKafkaClient,
  kafkaClientOptions,
  registerCompressionCodecs,
  type BatchConsumer,
  type KafkaClient,
  type PartitionBatch,
} from '@rnnflow/stream';
import { initTrainingBackend, type TrainingBackend } from '@rnnflow/training';
import { TrainingIntake } from './event.intake.js';
import { RoundLog } from './round.log.js';
import type { TrainerSettings } from './trainer.settings.js';
import { closeAll } from '@rnnflow/errors';

/** Everything a trainer process holds open; `close()` releases it in order. */
export interface TrainerRuntime {
  readonly settings: TrainerSettings;
  readonly logger: Logger;
  readonly backend: TrainingBackend;
  readonly metrics: Metrics;
  readonly recorder: TrainerMetrics;
  readonly registry: ModelRegistry;
  /** Whether Redis answers now; the trainer's readiness includes it. */
  readonly redisHealth: RedisHealth;
  readonly log: RoundLog;
  readonly kafka: KafkaClient;
  readonly intake: TrainingIntake;
  /** Runs `close` first on {@link TrainerRuntime.close} (e.g. the consumer, before the client). */
  onClose(close: () => Promise<unknown>): void;
  close(): Promise<void>;
}

/**
 * Selects the training backend (and logs which), connects Redis (within
 * REDIS_CONNECT_TIMEOUT_MS) and Kafka (a metadata request for the input topic within
 * RNNFLOW_STARTUP_TIMEOUT_MS), and sizes the buffer from the active model when there is one.
 * `metrics`: the registry a metrics server already serves, if any.
 */
export async function openRuntime(
  settings: TrainerSettings,
  logger: Logger,
  metrics: Metrics = createMetrics({ service: 'trainer' }),
): Promise<TrainerRuntime> {
  const recorder = createTrainerMetrics(metrics);
  registerCompressionCodecs();
  const redis = await createRedisConnection(redisConnectionOptions(settings));
  const redisHealth = new RedisHealth(redis).start();
  const closers: (() => Promise<unknown>)[] = [async () => redisHealth.stop(), () => redis.quit()];
  const close = () => closeAll(closers);
  try {
    const registry = new ModelRegistry(redis);
    const kafka = createKafkaClient(kafkaClientOptions(settings, 'rnnflow-trainer', logger));
    closers.unshift(() => kafka.close());
    await checkBrokers(kafka, {
      brokers: settings.brokers,
      topic: settings.inputTopic,
      timeoutMs: settings.startupTimeoutMs,
    });
    const backend = await initTrainingBackend();
    logger.info(
      { backend: backend.name, gpu: backend.gpu, skipped: backend.skipped },
      `training on the ${backend.name} backend`,
    );
    return {
      settings,
      logger,
      backend,
      metrics,
      recorder,
      registry,
      redisHealth,
      log: new RoundLog(redis),
      kafka,
      intake: new TrainingIntake({
        maxKeys: settings.maxKeys,
        eventsPerKey: settings.eventsPerKey,
        maxValueBytes: settings.maxValueBytes,
        labelFeatures: settings.labelFeatures,
        champion: await championSizes(registry, settings.model),
      }),
      onClose: (closer) => closers.unshift(closer),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function championSizes(
  registry: ModelRegistry,
  model: string,
): Promise<{ inputSize: number; outputSize: number } | null> {
  const version = await registry.activeVersion(model);
  if (version === null) return null;
  const { inputSize, outputSize } = decodeModel(await registry.artefact(model, version));
  return { inputSize, outputSize };
}

/**
 * The trainer's consumer: each batch goes into the buffer, then its offsets are committed
 * (at-least-once: a restart may buffer a few events twice). `afterBatch` sees the batch's
 * next offset and how many events it buffered.
 */
export function startConsumer(
  runtime: TrainerRuntime,
  options: { maxWaitTimeMs?: number; onCrash?: (error: Error) => void },
  afterBatch: (partition: number, nextOffset: bigint, buffered: number) => void,
): Promise<{ consumer: BatchConsumer; stop: () => Promise<void> }> {
  const { settings, logger, intake, recorder } = runtime;
  const consumer = runtime.kafka.batchConsumer({
    groupId: settings.groupId,
    topics: [settings.inputTopic],
    maxWaitTimeMs: options.maxWaitTimeMs,
    ...consumerLifecycle(logger, { crashed: (error) => options.onCrash?.(error) }),
  });
  const handle = async (batch: PartitionBatch) => {
    const result = intake.accept(batch.records);
    if (result.firstSkip) {
      logger.warn(
        { skipped: result.skipped, partition: batch.partition, ...result.firstSkip },
        'skipped input records',
      );
    }
    const { keys, events } = intake.stats();
    recorder.bufferSize(keys, events);
    const next = BigInt(batch.records[batch.records.length - 1].offset) + 1n;
    await consumer.commit([
      { topic: batch.topic, partition: batch.partition, offset: next.toString() },
    ]);
    afterBatch(batch.partition, next, result.buffered);
  };
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= consumer.stop());
  runtime.onClose(stop);
  return consumer.run(handle).then(() => ({ consumer, stop }));
}
