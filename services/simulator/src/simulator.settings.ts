import {
  booleanSchema,
  kafkaSettings,
  loggingSettings,
  startupSettings,
  portSchema,
  positiveIntegerSchema,
  setting,
  z,
  type SettingsOf,
  metricsHostSetting,
} from '@rnnflow/config';
import { MAX_FEATURES, SIGNAL_KINDS } from './key.signal.js';
import { TARGET_MODES } from './event.source.js';

const probabilitySchema = z.coerce
  .number({ message: 'expected a probability' })
  .min(0, 'expected a probability from 0 to 1')
  .max(1, 'expected a probability from 0 to 1');

/** Every setting of `rnnflow simulate`: each an environment variable and a flag. */
export const simulatorSettings = {
  ...kafkaSettings,
  ...loggingSettings,
  ...startupSettings,
  topic: setting({
    env: 'RNNFLOW_INPUT_TOPIC',
    flag: 'input-topic',
    description: 'topic the events go to (the predictor input topic); it must exist',
    schema: z.string().min(1),
    default: 'events',
  }),
  metricsPort: setting({
    env: 'RNNFLOW_METRICS_PORT',
    flag: 'metrics-port',
    description: 'HTTP port for /metrics, /healthz and /readyz (0 picks a free port)',
    schema: portSchema({ allowZero: true }),
    default: '9466',
  }),
  metricsHost: metricsHostSetting,
  keys: setting({
    env: 'RNNFLOW_SIM_KEYS',
    flag: 'keys',
    description: 'distinct entity keys, each an independent sequence',
    schema: positiveIntegerSchema('key count'),
    default: '100',
  }),
  rate: setting({
    env: 'RNNFLOW_SIM_RATE',
    flag: 'rate',
    description: 'events per second over all keys',
    schema: z.coerce
      .number({ message: 'expected events per second' })
      .positive('expected a rate > 0'),
    default: '100',
  }),
  durationSeconds: setting({
    env: 'RNNFLOW_SIM_DURATION',
    flag: 'duration',
    description:
      'stop after this many seconds (with --events, whichever comes first; neither: run until stopped)',
    schema: z.coerce
      .number({ message: 'expected seconds' })
      .positive('expected seconds > 0')
      .optional(),
  }),
  events: setting({
    env: 'RNNFLOW_SIM_EVENTS',
    flag: 'events',
    description: 'stop after this many records, tombstones included',
    schema: positiveIntegerSchema('event count').optional(),
  }),
  seed: setting({
    env: 'RNNFLOW_SIM_SEED',
    flag: 'seed',
    description: 'random seed, 0-4294967295: the same seed gives every key the same features',
    schema: z.coerce.number().int('expected a whole seed').min(0).max(0xffffffff),
    default: '1',
  }),
  features: setting({
    env: 'RNNFLOW_SIM_FEATURES',
    flag: 'features',
    description: `features per event, 1-${MAX_FEATURES} (must match the model input size)`,
    schema: positiveIntegerSchema('feature count').max(
      MAX_FEATURES,
      `expected at most ${MAX_FEATURES}`,
    ),
    default: '4',
  }),
  kind: setting({
    env: 'RNNFLOW_SIM_KIND',
    flag: 'kind',
    description: 'signal of every key: seasonal (sines and noise), walk (random walk), or mixed',
    schema: z.enum(SIGNAL_KINDS),
    default: 'mixed',
  }),
  anomalyRate: setting({
    env: 'RNNFLOW_SIM_ANOMALY_RATE',
    flag: 'anomaly-rate',
    description:
      'probability per event of an injected spike (marked by the rnnflow-sim-anomaly header)',
    schema: probabilitySchema,
    default: '0.001',
  }),
  regimeShiftRate: setting({
    env: 'RNNFLOW_SIM_REGIME_SHIFT_RATE',
    flag: 'regime-shift-rate',
    description: 'probability per event that a key shifts to a new level and noise regime',
    schema: probabilitySchema,
    default: '0.002',
  }),
  noise: setting({
    env: 'RNNFLOW_SIM_NOISE',
    flag: 'noise',
    description: 'observation noise, standard deviation as a fraction of each feature scale',
    schema: z.coerce.number().min(0, 'expected noise ≥ 0'),
    default: '0.1',
  }),
  target: setting({
    env: 'RNNFLOW_SIM_TARGET',
    flag: 'target',
    description: 'none, or next: add "target": [feature 0 of the key next event]',
    schema: z.enum(TARGET_MODES),
    default: 'none',
  }),
  tombstoneEvery: setting({
    env: 'RNNFLOW_SIM_TOMBSTONE_EVERY',
    flag: 'tombstone-every',
    description: 'end each key sequence with a tombstone after this many of its events (0 never)',
    schema: z.coerce.number().int('expected a whole number').min(0, 'expected 0 or more'),
    default: '0',
  }),
  keyPrefix: setting({
    env: 'RNNFLOW_SIM_KEY_PREFIX',
    flag: 'key-prefix',
    description: 'key names are this prefix and a zero-padded index',
    schema: z.string().min(1),
    default: 'sensor-',
  }),
  batchSize: setting({
    env: 'RNNFLOW_SIM_BATCH_SIZE',
    flag: 'produce-batch-size',
    description: 'most records per produce request',
    schema: positiveIntegerSchema('batch size'),
    default: '500',
  }),
  progress: setting({
    env: 'RNNFLOW_SIM_PROGRESS',
    flag: 'progress',
    description: 'show progress on stderr: a bar on a terminal, else a log line every 10 s',
    schema: booleanSchema,
    default: 'true',
  }),
};

export type SimulatorSettings = SettingsOf<typeof simulatorSettings>;

/** Records in the whole run: the smaller of `events` and rate × duration; Infinity if neither. */
export function plannedRecords(settings: {
  rate: number;
  events: number | undefined;
  durationSeconds: number | undefined;
}): number {
  const byDuration =
    settings.durationSeconds === undefined
      ? Infinity
      : Math.floor(settings.rate * settings.durationSeconds);
  return Math.min(settings.events ?? Infinity, byDuration);
}
