import { loadSettings } from '@rnnflow/config';
import { predictorSettings, type PredictorSettings } from '@rnnflow/predictor';
import { simulatorSettings, type SimulatorSettings } from '@rnnflow/simulator';
import { trainerSettings, type TrainerSettings } from '@rnnflow/trainer';
import type { DevOptions } from './dev.options.js';

/** Where the stack listens. */
export interface StackAddresses {
  readonly kafkaBrokers: readonly string[];
  readonly redisUrl: string;
}

/** Registry model, topics and forecast shared by the three services of the demo. */
export const DEMO = {
  model: 'default',
  topics: { input: 'events', output: 'predictions', deadLetter: 'events.dlq' },
  /** Two partitions for two cores: fewer, bigger batches than the stack's default six. */
  partitions: 2,
  features: 3,
  /** Feature 0 of the next event is what the model forecasts and is scored on. */
  labelFeature: 0,
  units: 16,
  /** Seconds between training rounds: the first one has 15 s of data. */
  trainEverySeconds: 15,
} as const;

/** Settings of the simulator, predictor and trainer: the demo's choices, then each default. */
export function serviceSettings(
  stack: StackAddresses,
  options: DevOptions,
): { simulator: SimulatorSettings; predictor: PredictorSettings; trainer: TrainerSettings } {
  const common = {
    brokers: stack.kafkaBrokers.join(','),
    'redis-url': stack.redisUrl,
    'metrics-port': '0',
    model: DEMO.model,
  };
  // env {}: the demo is self-contained; a KAFKA_BROKERS of the shell must not leak into it.
  const load = <S extends Parameters<typeof loadSettings>[0]>(
    specs: S,
    flags: Record<string, string>,
  ) => loadSettings(specs, { flags, env: {} });
  return {
    simulator: load(simulatorSettings, {
      brokers: common.brokers,
      'metrics-port': '0',
      'input-topic': DEMO.topics.input,
      keys: String(options.keys),
      rate: String(options.rate),
      seed: String(options.seed),
      features: String(DEMO.features),
      kind: 'seasonal',
      // Spikes and level shifts are the trainer's problem in production; here they would only
      // hide the swap in the plots.
      'anomaly-rate': '0',
      'regime-shift-rate': '0',
      progress: 'false',
    }),
    predictor: load(predictorSettings, {
      ...common,
      'input-topic': DEMO.topics.input,
      'output-topic': DEMO.topics.output,
      'dlq-topic': DEMO.topics.deadLetter,
      'group-id': 'rnnflow-dev-predictor',
      'label-features': String(DEMO.labelFeature),
    }),
    trainer: load(trainerSettings, {
      ...common,
      'input-topic': DEMO.topics.input,
      'group-id': 'rnnflow-dev-trainer',
      'train-every-seconds': String(DEMO.trainEverySeconds),
      'train-every-events': '0',
      'train-label-features': String(DEMO.labelFeature),
      // Non-overlapping windows of 8 events: 15 s at 3 events per key per second already give
      // each key a held-out, a validation and a few training windows (overlapping windows
      // next to a held-out one are dropped).
      'train-window': '8',
      'train-epochs': '8',
      'train-batch-size': '32',
      'train-units': String(DEMO.units),
      'train-seed': String(options.seed),
    }),
  };
}
