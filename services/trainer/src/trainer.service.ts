import { ConfigError } from '@rnnflow/config';
import type { Logger } from '@rnnflow/logging';
import { withinDeadline } from '@rnnflow/errors';
import {
  createMetrics,
  ReadinessGate,
  startMetricsServer,
  type MetricsServerHandle,
} from '@rnnflow/metrics';
import type { TrainingBackend } from '@rnnflow/training';
import { recordFailedRound, runRound } from './round.runner.js';
import { RoundTrigger } from './round.trigger.js';
import { openRuntime, startConsumer, type TrainerRuntime } from './trainer.runtime.js';
import type { TrainerSettings } from './trainer.settings.js';

export interface TrainerHandle {
  /** Port of the /metrics, /healthz and /readyz server. */
  readonly metricsPort: number;
  readonly backend: TrainingBackend;
  /** Aborts the round in flight (nothing is published), leaves the group, closes everything. */
  stop(): Promise<void>;
}

/** How often the trigger is looked at; rounds start at most this late. */
const TRIGGER_CHECK_MS = 1000;

/**
 * Starts a trainer: consumes the input topic into the buffer, and runs a round whenever the
 * trigger says so, one at a time. A failed round is logged, counted and recorded; the next one
 * runs on the next trigger. The metrics server starts first (/readyz 503 until the consumer runs),
 * and a start that cannot succeed (Redis, brokers, the group join past RNNFLOW_STARTUP_TIMEOUT_MS)
 * rejects with the cause.
 */
export async function startTrainer(
  settings: TrainerSettings,
  logger: Logger,
): Promise<TrainerHandle> {
  if (settings.everyEvents === 0 && settings.everySeconds === 0) {
    throw new ConfigError([
      '--train-every-events / RNNFLOW_TRAIN_EVERY_EVENTS and --train-every-seconds / RNNFLOW_TRAIN_EVERY_SECONDS are both 0: no round would ever run (set one, or use --once)',
    ]);
  }
  const metrics = createMetrics({ service: 'trainer' });
  const gate = new ReadinessGate();
  const server = await startMetricsServer({
    port: settings.metricsPort,
    host: settings.metricsHost,
    metrics,
    readiness: () => gate.ready(),
  });
  try {
    const runtime = await openRuntime(settings, logger, metrics);
    runtime.onClose(async () => gate.close());
    try {
      return await withinDeadline(
        compose(runtime, server, gate),
        settings.startupTimeoutMs,
        () =>
          `the trainer did not join consumer group "${settings.groupId}" within ${settings.startupTimeoutMs} ms: check the brokers, or raise RNNFLOW_STARTUP_TIMEOUT_MS (--startup-timeout-ms)`,
      );
    } catch (error) {
      await runtime.close();
      throw error;
    }
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function compose(
  runtime: TrainerRuntime,
  server: MetricsServerHandle,
  gate: ReadinessGate,
): Promise<TrainerHandle> {
  const { settings, logger } = runtime;
  const trigger = new RoundTrigger(
    { everyEvents: settings.everyEvents, everySeconds: settings.everySeconds },
    Date.now(),
  );
  const { consumer } = await startConsumer(runtime, {}, (_partition, _next, buffered) =>
    trigger.eventsBuffered(buffered),
  );
  const abort = new AbortController();
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (inFlight || !trigger.due(Date.now())) return;
    trigger.roundStarted(Date.now());
    inFlight = guardedRound(runtime, abort.signal).finally(() => (inFlight = null));
  }, TRIGGER_CHECK_MS);
  runtime.onClose(async () => {
    clearInterval(timer);
    abort.abort();
    await inFlight;
  });
  gate.open(() => consumer.isRunning() && runtime.redisHealth.healthy());
  runtime.onClose(() => server.close());
  logger.info(
    {
      metricsPort: server.port,
      input: settings.inputTopic,
      groupId: settings.groupId,
      everyEvents: settings.everyEvents,
      everySeconds: settings.everySeconds,
    },
    'trainer running',
  );
  return { metricsPort: server.port, backend: runtime.backend, stop: () => runtime.close() };
}

async function guardedRound(runtime: TrainerRuntime, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  try {
    await runRound({ ...runtime, signal });
  } catch (error) {
    await recordFailedRound(runtime, error, (performance.now() - started) / 1000);
  }
}
