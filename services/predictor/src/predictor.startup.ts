import { closeAll } from '@rnnflow/errors';
import type { Logger } from '@rnnflow/logging';
import {
  ReadinessGate,
  startMetricsServer,
  type Metrics,
  type MetricsServerHandle,
} from '@rnnflow/metrics';
import type { RedisConnection } from '@rnnflow/redis';
import {
  checkStateRights,
  createRedisConnection,
  redisConnectionOptions,
  RedisHealth,
} from '@rnnflow/state';
import { checkBrokers, createKafkaClient, kafkaClientOptions } from '@rnnflow/stream';
import type { PredictorSettings } from './predictor.settings.js';

/** What the start sequence opened, for the rest of the predictor to build on. */
export interface PredictorStartup {
  readonly redis: RedisConnection;
  /** Whether Redis answers now; the predictor's readiness includes it. */
  readonly redisHealth: RedisHealth;
  /** Undefined when started without a metrics server (a cluster worker). */
  readonly server: MetricsServerHandle | undefined;
  /** /readyz answers 503 until this hands over the running predictor's readiness. */
  serve(ready: () => boolean): void;
  /** What to close on stop, in order; the predictor adds its own. */
  readonly closers: (() => Promise<unknown>)[];
  /** Runs the closers, then stops the metrics server (scrapes see the stop to the end). */
  close(): Promise<void>;
}

/**
 * The predictor's start, each step bounded so that a start that cannot succeed exits within
 * seconds with the cause and the setting to change: the metrics server first (/healthz 200,
 * /readyz 503 from the first second), then Redis (connect and PING within
 * REDIS_CONNECT_TIMEOUT_MS; refused credentials fail at once; the rights state needs), then the brokers (a metadata
 * request for the input topic within RNNFLOW_STARTUP_TIMEOUT_MS).
 */
export async function beginStartup(
  settings: PredictorSettings,
  context: { metrics: Metrics; logger: Logger; serveMetrics: boolean },
): Promise<PredictorStartup> {
  const gate = new ReadinessGate();
  const closers: (() => Promise<unknown>)[] = [];
  const server = context.serveMetrics
    ? await startMetricsServer({
        port: settings.metricsPort,
        host: settings.metricsHost,
        metrics: context.metrics,
        readiness: () => gate.ready(),
      })
    : undefined;
  const close = async () => {
    try {
      await closeAll(closers);
    } finally {
      await server?.close();
    }
  };
  try {
    const redis = await createRedisConnection(redisConnectionOptions(settings));
    closers.unshift(() => redis.quit());
    // A user without the rights state needs stops here, before any partition is taken.
    await checkStateRights(redis, { model: settings.model, topic: settings.inputTopic });
    const redisHealth = new RedisHealth(redis).start();
    closers.unshift(async () => {
      gate.close();
      redisHealth.stop();
    });
    await brokersAnswer(settings, context.logger);
    return { redis, redisHealth, server, serve: (ready) => gate.open(ready), closers, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function brokersAnswer(settings: PredictorSettings, logger: Logger): Promise<void> {
  const kafka = createKafkaClient(kafkaClientOptions(settings, 'rnnflow-predictor-check', logger));
  try {
    await checkBrokers(kafka, {
      brokers: settings.brokers,
      topic: settings.inputTopic,
      timeoutMs: settings.startupTimeoutMs,
    });
  } finally {
    // Not awaited: after a timeout the client is still connecting, and close() would wait for it.
    void kafka.close().catch(() => {});
  }
}
