import { Counter, Gauge, Histogram } from 'prom-client';
import { ROUND_SECONDS_BUCKETS } from './metrics.buckets.js';
import { claimNames, type Metrics } from './metrics.registry.js';
import type { ModelVersion } from './predictor.metrics.js';

/** How a training round ended: new version published, rejected by validation, or failed. */
export type RoundOutcome = 'published' | 'rejected' | 'failed';
/** Which loss a value is: on the training set or on the held-out validation set. */
export type LossKind = 'training' | 'validation';

const ROUND_OUTCOMES: readonly RoundOutcome[] = ['published', 'rejected', 'failed'];

const NAMES = {
  rounds: 'rnnflow_trainer_rounds_total',
  roundSeconds: 'rnnflow_trainer_round_seconds',
  loss: 'rnnflow_trainer_loss',
  bufferKeys: 'rnnflow_trainer_buffer_keys',
  bufferEvents: 'rnnflow_trainer_buffer_events',
} as const;

/** Every metric name {@link createTrainerMetrics} defines (for dashboard and alert checks). */
export const trainerMetricNames: readonly string[] = Object.values(NAMES);

/** What the trainer records. */
export interface TrainerMetrics {
  /** One finished round: its outcome and wall time in seconds. */
  round(outcome: RoundOutcome, seconds: number): void;
  /** Latest loss of `kind` (model loss units) for the candidate `version`; replaces the previous version's. */
  loss(kind: LossKind, version: ModelVersion, value: number): void;
  /** Training buffer contents: distinct keys and buffered events. */
  bufferSize(keys: number, events: number): void;
}

/** Defines the trainer's metrics in `metrics` (once per process) and returns its recorder. */
export function createTrainerMetrics(metrics: Metrics): TrainerMetrics {
  const registers = [claimNames(metrics, trainerMetricNames)];
  const rounds = new Counter({
    name: NAMES.rounds,
    help: 'Training rounds by outcome.',
    labelNames: ['outcome'],
    registers,
  });
  const roundSeconds = new Histogram({
    name: NAMES.roundSeconds,
    help: 'Training round wall time by outcome.',
    labelNames: ['outcome'],
    buckets: ROUND_SECONDS_BUCKETS,
    registers,
  });
  const loss = new Gauge({
    name: NAMES.loss,
    help: 'Latest loss by kind; model_version names the candidate it was measured on.',
    labelNames: ['kind', 'model_version'],
    registers,
  });
  const bufferKeys = new Gauge({
    name: NAMES.bufferKeys,
    help: 'Distinct keys in the training buffer.',
    registers,
  });
  const bufferEvents = new Gauge({
    name: NAMES.bufferEvents,
    help: 'Events in the training buffer.',
    registers,
  });

  for (const outcome of ROUND_OUTCOMES) rounds.labels(outcome).inc(0);
  // One version per kind at a time: a new series per round would grow without bound.
  const lossVersion = new Map<LossKind, string>();

  return {
    round: (outcome, seconds) => {
      rounds.labels(outcome).inc();
      roundSeconds.labels(outcome).observe(seconds);
    },
    loss: (kind, version, value) => {
      const previous = lossVersion.get(kind);
      if (previous !== undefined) loss.remove(kind, previous);
      lossVersion.set(kind, String(version));
      loss.labels(kind, String(version)).set(value);
    },
    bufferSize: (keys, events) => {
      bufferKeys.set(keys);
      bufferEvents.set(events);
    },
  };
}
