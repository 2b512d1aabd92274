import { setTimeout as sleep } from 'node:timers/promises';
import { loadSettings } from '@rnnflow/config';
import type { Logger } from '@rnnflow/logging';
import { predictorSettings, startPredictor, type ServingPredictorHandle } from '@rnnflow/predictor';
import type { BenchStack, ContenderTopics } from './bench.stack.js';
import { checkAlive } from './contender.limits.js';
import { scrapeMetrics, sumSamples } from './metrics.probe.js';
import type { DeliveryMode } from './pipeline.options.js';
import type { PhaseProgress } from './progress.display.js';
import { throughputOf, type Throughput } from './throughput.js';

/** How often the predictor's counters are read while it runs; bounds the timing error. */
const POLL_MS = 50;

/** Where a predictor's batch time went, summed over batches (concurrent partitions overlap). */
export interface PredictorPhases {
  /** Mean records per partition batch. */
  meanBatchEvents: number;
  readSeconds: number;
  computeSeconds: number;
  /** Produce calls (at-least-once) or whole transactions (exactly-once). */
  produceSeconds: number;
  /** Offset commits (at-least-once; exactly-once commits inside the transaction). */
  commitSeconds: number;
  /** Batches that failed and were retried; 0 in a healthy run. */
  errors: number;
}

export interface PredictorThroughput extends Throughput {
  phases: PredictorPhases;
}

export interface BenchPredictorOptions {
  model: string;
  topics: ContenderTopics;
  delivery: DeliveryMode;
  /**
   * Predictor settings given on purpose (`--predictor-setting name=value`, for experiments);
   * empty in a benchmark run, which measures the defaults.
   */
  settings: Readonly<Record<string, string>>;
}

/** A predictor under measurement: where its metrics are, and how to stop it. */
export interface RunningPredictor {
  metricsPort: number;
  /**
   * The counters the measurement polls. In this process they are read from the registry (a
   * full scrape every poll would cost the predictor's own thread several percent); a process of
   * its own is scraped.
   */
  readProgress(): Promise<PredictorProgress>;
  stop(): Promise<void>;
}

/** Events consumed and predicted so far, what {@link measurePredictor} polls. */
export interface PredictorProgress {
  consumed: number;
  predicted: number;
}

const CONSUMED = 'rnnflow_predictor_events_consumed_total';
const PREDICTED = 'rnnflow_predictor_events_predicted_total';

/** Progress from a predictor's Prometheus text. */
export function progressIn(text: string): PredictorProgress {
  return { consumed: sumSamples(text, CONSUMED), predicted: sumSamples(text, PREDICTED) };
}

/**
 * The flags of a benchmark predictor: where it connects, its model, topics, group and delivery
 * mode, then `extra` (metrics port, log level) — every other setting keeps its default, as a
 * user who follows the README runs it.
 */
export function benchPredictorFlags(
  stack: BenchStack,
  options: BenchPredictorOptions,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    brokers: stack.brokers.join(','),
    'redis-url': stack.redisUrl,
    model: options.model,
    'input-topic': options.topics.input,
    'output-topic': options.topics.output,
    'dlq-topic': options.topics.deadLetter,
    'group-id': `bench-${options.topics.input}`,
    delivery: options.delivery,
    ...options.settings,
    ...extra,
  };
}

/** A predictor started in this process with metrics on a free port, stopped with the stack at the latest. */
export async function startBenchPredictor(
  stack: BenchStack,
  options: BenchPredictorOptions,
  logger: Logger,
): Promise<ServingPredictorHandle & RunningPredictor> {
  const settings = loadSettings(predictorSettings, {
    // The benchmark describes its own predictor; the environment must not change it.
    env: {},
    flags: benchPredictorFlags(stack, options, { 'metrics-port': '0', 'log-level': logger.level }),
  });
  const handle = await startPredictor(settings, logger);
  return {
    ...handle,
    metricsPort: handle.metricsPort!,
    readProgress: async () => {
      const total = async (name: string) =>
        (await handle.metrics.samples(name)).reduce((sum, { value }) => sum + value, 0);
      return { consumed: await total(CONSUMED), predicted: await total(PREDICTED) };
    },
    stop: stack.own(() => handle.stop()),
  };
}

/**
 * Starts a predictor over `events` pre-produced records and times it from the last moment its
 * counters showed nothing consumed to the first moment they showed every prediction delivered
 * (produced, states written, offsets committed): both ends err towards a longer time.
 */
export async function measurePredictor(
  start: () => Promise<RunningPredictor>,
  options: { events: number; delivery: DeliveryMode },
  progress: PhaseProgress,
  signal: AbortSignal,
): Promise<PredictorThroughput> {
  const predictor = await start();
  try {
    let startedAt = performance.now();
    let lastProgressAt = startedAt;
    let lastPredicted = 0;
    for (;;) {
      const { consumed, predicted } = await predictor.readProgress();
      const now = performance.now();
      if (consumed === 0) startedAt = now;
      if (predicted !== lastPredicted) [lastPredicted, lastProgressAt] = [predicted, now];
      progress.update(predicted);
      if (predicted >= options.events) {
        const phases = phasesOf(await scrapeMetrics(predictor.metricsPort));
        return { ...throughputOf(predicted, now - startedAt), phases };
      }
      checkAlive(signal, now - lastProgressAt, `${options.delivery} predictor`, predicted);
      await sleep(POLL_MS);
    }
  } finally {
    await predictor.stop();
  }
}

function phasesOf(text: string): PredictorPhases {
  const seconds = (name: string, labels: Record<string, string> = {}) =>
    sumSamples(text, `${name}_sum`, labels);
  const kafka = 'rnnflow_predictor_kafka_call_seconds';
  const batches = sumSamples(text, 'rnnflow_predictor_batch_size_events_count');
  return {
    meanBatchEvents: batches > 0 ? seconds('rnnflow_predictor_batch_size_events') / batches : 0,
    readSeconds: seconds('rnnflow_predictor_redis_call_seconds', { op: 'read' }),
    computeSeconds: seconds('rnnflow_predictor_step_seconds'),
    produceSeconds: seconds(kafka, { op: 'produce' }) + seconds(kafka, { op: 'transaction' }),
    commitSeconds: seconds(kafka, { op: 'commit' }),
    errors: sumSamples(text, 'rnnflow_predictor_errors_total'),
  };
}
