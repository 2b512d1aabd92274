import { createLogger, type Logger } from '@rnnflow/logging';
import { createMetrics, createSimulatorMetrics, startMetricsServer } from '@rnnflow/metrics';
import { withinDeadline } from '@rnnflow/errors';
import { RatePacer } from '@rnnflow/pacing';
import {
  checkBrokers,
  createKafkaClient,
  kafkaClientOptions,
  type OutgoingMessage,
} from '@rnnflow/stream';
import { EventSource, type SimulatedRecord } from './event.source.js';
import {
  achievedRate,
  createProgressReporter,
  type ProgressMode,
  type SimulationProgress,
} from './progress.reporter.js';
import { plannedRecords, type SimulatorSettings } from './simulator.settings.js';
import { runTrafficLoop, type LoopClock } from './traffic.loop.js';

/** Header set on records that carry an injected spike; its value is the spiked feature's index. */
export const ANOMALY_HEADER = 'rnnflow-sim-anomaly';

/** Options of {@link runSimulator}. */
export interface RunSimulatorOptions {
  /** Aborting it ends the run after the batch in flight (Ctrl-C in the CLI). */
  signal?: AbortSignal;
  /** Default: JSON lines on stderr at `settings.logLevel`. */
  logger?: Logger;
  /** Default: a bar when stderr is a terminal, else a log line every 10 s; none when `settings.progress` is false. */
  progress?: ProgressMode;
  /** Told the metrics port once the server listens (useful with `metricsPort` 0). */
  onListening?: (metricsPort: number) => void;
  /** Replaces the wall clock; for tests. */
  clock?: LoopClock;
}

/** What a run did. */
export interface SimulationSummary {
  /** Records produced and acknowledged, tombstones included. */
  sent: number;
  tombstones: number;
  /** Events that carry an injected spike. */
  anomalies: number;
  /** Wall time of the producing loop, ms. */
  elapsedMs: number;
  /** `sent` over `elapsedMs`, records per second. */
  eventsPerSecond: number;
  /** Ended by the abort signal before its planned end. */
  stopped: boolean;
  /** The duration ran out with records still due: the broker did not keep up with the rate. */
  fellBehind: boolean;
}

/**
 * Produces synthetic events to `settings.topic` at `settings.rate` records per second over
 * `settings.keys` keys, until `events` records were sent, `duration` is over, or `signal`
 * aborts. Serves `/metrics` meanwhile; `/readyz` answers 200 while the producer is connected.
 */
export async function runSimulator(
  settings: SimulatorSettings,
  options: RunSimulatorOptions = {},
): Promise<SimulationSummary> {
  const logger = options.logger ?? createLogger('simulator', settings.logLevel);
  // Built first: a bad option fails before any connection is opened.
  const source = new EventSource(settings);
  const pacer = new RatePacer(settings.rate, plannedRecords(settings), settings.batchSize);
  const metrics = createMetrics({ service: 'simulator' });
  const recorder = createSimulatorMetrics(metrics);
  let connected = false;
  const server = await startMetricsServer({
    port: settings.metricsPort,
    host: settings.metricsHost,
    metrics,
    readiness: () => connected,
  });
  options.onListening?.(server.port);
  const client = createKafkaClient(kafkaClientOptions(settings, 'rnnflow-simulator', logger));
  const producer = client.producer();
  const reporter = createProgressReporter(progressMode(settings, options), logger);
  // Also what the reporter shows when a send fails: the bar must release the terminal line.
  let lastProgress: SimulationProgress = {
    sent: 0,
    limit: pacer.limit,
    tombstones: 0,
    anomalies: 0,
    elapsedMs: 0,
  };
  try {
    await checkBrokers(client, {
      brokers: settings.brokers,
      topic: settings.topic,
      timeoutMs: settings.startupTimeoutMs,
    });
    await withinDeadline(
      producer.connect(),
      settings.startupTimeoutMs,
      () =>
        `the producer did not connect to Kafka at ${settings.brokers.join(',')} within ${settings.startupTimeoutMs} ms: check KAFKA_BROKERS (--brokers), or raise RNNFLOW_STARTUP_TIMEOUT_MS (--startup-timeout-ms)`,
    );
    connected = true;
    logger.info(
      { topic: settings.topic, keys: settings.keys, rate: settings.rate, limit: pacer.limit },
      'simulating',
    );
    const outcome = await runTrafficLoop({
      source,
      pacer,
      durationMs: (settings.durationSeconds ?? Infinity) * 1000,
      send: async (records, ts) => {
        await producer.sendBatch([
          { topic: settings.topic, messages: records.map((r) => toMessage(r, ts)) },
        ]);
        recorder.eventsSent(records.length);
      },
      onProgress: (progress) => {
        lastProgress = progress;
        reporter.update(progress);
      },
      signal: options.signal,
      clock: options.clock,
    });
    lastProgress = outcome;
    if (outcome.fellBehind) {
      logger.warn(
        { sent: outcome.sent, limit: pacer.limit },
        'the broker did not keep up with the rate',
      );
    }
    const { limit: _limit, ...counts } = outcome;
    return { ...counts, eventsPerSecond: achievedRate(outcome) };
  } finally {
    reporter.stop(lastProgress);
    // A producer that never connected has nothing to flush, and its disconnect can wait out the
    // retries of the connection that failed.
    if (connected) {
      connected = false;
      await producer
        .disconnect()
        .catch((error: unknown) => logger.warn({ err: error }, 'producer disconnect failed'));
    }
    await client.close();
    await server.close();
  }
}

function progressMode(settings: SimulatorSettings, options: RunSimulatorOptions): ProgressMode {
  if (options.progress !== undefined) return options.progress;
  if (!settings.progress) return 'none';
  return process.stderr.isTTY ? 'bar' : 'log';
}

function toMessage(record: SimulatedRecord, ts: number): OutgoingMessage {
  const message: OutgoingMessage = { key: record.key, value: record.value, timestamp: ts };
  if (record.anomaly === undefined) return message;
  return { ...message, headers: { [ANOMALY_HEADER]: String(record.anomaly.feature) } };
}
