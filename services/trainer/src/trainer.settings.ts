import {
  startupSettings,
  kafkaSettings,
  loggingSettings,
  portSchema,
  positiveIntegerSchema,
  redisSettings,
  setting,
  z,
  type SettingsOf,
  metricsHostSetting,
} from '@rnnflow/config';

/** A comma-separated list of whole numbers ≥ `min`, e.g. `32,16`. */
function integerListSchema(name: string, min: number) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map(Number),
    )
    .pipe(
      z
        .array(
          z
            .number({ message: `expected whole ${name}` })
            .int(`expected whole ${name}`)
            .min(min, `expected ${name} of at least ${min}`),
        )
        .min(1, `expected at least one of the ${name}`),
    );
}

/** A whole number ≥ 0 (0 switches the thing off). */
function countOrOffSchema(name: string) {
  return z.coerce
    .number({ message: `expected a ${name}` })
    .int(`expected a whole ${name}`)
    .min(0, `expected 0 (off) or a positive ${name}`);
}

/** A fraction strictly between 0 and 1. */
const fractionSchema = z.coerce
  .number({ message: 'expected a number between 0 and 1' })
  .gt(0, 'expected more than 0')
  .lt(1, 'expected less than 1');

/** Every setting of `rnnflow trainer`: each an environment variable and a flag. */
export const trainerSettings = {
  ...kafkaSettings,
  ...redisSettings,
  ...loggingSettings,
  ...startupSettings,
  model: setting({
    env: 'RNNFLOW_MODEL',
    flag: 'model',
    description: 'model name in the registry; the trainer challenges its active version',
    schema: z.string(),
    default: 'default',
  }),
  inputTopic: setting({
    env: 'RNNFLOW_INPUT_TOPIC',
    flag: 'input-topic',
    description: 'topic of input events (the predictor reads the same one)',
    schema: z.string().min(1),
    default: 'events',
  }),
  groupId: setting({
    env: 'RNNFLOW_TRAINER_GROUP_ID',
    flag: 'group-id',
    description: 'Kafka consumer group of the trainer (its own, apart from the predictors)',
    schema: z.string().min(1),
    default: 'rnnflow-trainer',
  }),
  metricsPort: setting({
    env: 'RNNFLOW_METRICS_PORT',
    flag: 'metrics-port',
    description: 'HTTP port for /metrics, /healthz and /readyz (0 picks a free port)',
    schema: portSchema({ allowZero: true }),
    default: '9465',
  }),
  metricsHost: metricsHostSetting,
  maxValueBytes: setting({
    env: 'RNNFLOW_MAX_VALUE_BYTES',
    flag: 'max-value-bytes',
    description: 'larger input values are skipped',
    schema: positiveIntegerSchema('byte count'),
    default: '65536',
  }),
  everyEvents: setting({
    env: 'RNNFLOW_TRAIN_EVERY_EVENTS',
    flag: 'train-every-events',
    description: 'run a round after this many new events (0: only on the timer)',
    schema: countOrOffSchema('event count'),
    default: '10000',
  }),
  everySeconds: setting({
    env: 'RNNFLOW_TRAIN_EVERY_SECONDS',
    flag: 'train-every-seconds',
    description: 'run a round this long after the previous one if new events came (0: off)',
    schema: countOrOffSchema('number of seconds'),
    default: '600',
  }),
  maxKeys: setting({
    env: 'RNNFLOW_TRAIN_MAX_KEYS',
    flag: 'train-max-keys',
    description: 'keys kept in the training buffer; the least recently updated go first',
    schema: positiveIntegerSchema('key count'),
    default: '10000',
  }),
  eventsPerKey: setting({
    env: 'RNNFLOW_TRAIN_EVENTS_PER_KEY',
    flag: 'train-events-per-key',
    description: 'newest events kept per key (memory ≈ keys × events × (4·(I+O) + 100) bytes)',
    schema: positiveIntegerSchema('event count').min(2, 'expected at least 2 events'),
    default: '256',
  }),
  windowLength: setting({
    env: 'RNNFLOW_TRAIN_WINDOW',
    flag: 'train-window',
    description: 'steps per training window, the truncated backpropagation-through-time length',
    schema: positiveIntegerSchema('step count'),
    default: '32',
  }),
  windowStride: setting({
    env: 'RNNFLOW_TRAIN_WINDOW_STRIDE',
    flag: 'train-window-stride',
    description: "events between the starts of a key's windows (default: the window length)",
    schema: positiveIntegerSchema('event count').optional(),
  }),
  epochs: setting({
    env: 'RNNFLOW_TRAIN_EPOCHS',
    flag: 'train-epochs',
    description: 'passes over the training windows per round',
    schema: positiveIntegerSchema('epoch count'),
    default: '5',
  }),
  batchSize: setting({
    env: 'RNNFLOW_TRAIN_BATCH_SIZE',
    flag: 'train-batch-size',
    description: 'windows per optimizer step',
    schema: positiveIntegerSchema('window count'),
    default: '64',
  }),
  learningRate: setting({
    env: 'RNNFLOW_TRAIN_LEARNING_RATE',
    flag: 'train-learning-rate',
    description: 'Adam learning rate',
    schema: z.coerce.number({ message: 'expected a number' }).positive('expected more than 0'),
    default: '0.005',
  }),
  clipNorm: setting({
    env: 'RNNFLOW_TRAIN_CLIP_NORM',
    flag: 'train-clip-norm',
    description: 'largest global L2 norm of the gradients (0: no clipping)',
    schema: z.coerce.number({ message: 'expected a number' }).min(0, 'expected 0 or more'),
    default: '1',
  }),
  patience: setting({
    env: 'RNNFLOW_TRAIN_PATIENCE',
    flag: 'train-patience',
    description: 'epochs without a better validation loss before stopping early (0: never)',
    schema: countOrOffSchema('epoch count'),
    default: '2',
  }),
  margin: setting({
    env: 'RNNFLOW_TRAIN_MARGIN',
    flag: 'train-margin',
    description: 'relative held-out loss improvement a new version needs, e.g. 0.02 = 2 % lower',
    schema: z.coerce.number({ message: 'expected a number' }).min(0, 'expected 0 or more'),
    default: '0.02',
  }),
  heldOutBy: setting({
    env: 'RNNFLOW_TRAIN_HELDOUT_BY',
    flag: 'train-heldout-by',
    description: 'held-out slice: the newest windows of each key (time), or whole keys (keys)',
    schema: z.enum(['time', 'keys']),
    default: 'time',
  }),
  heldOutFraction: setting({
    env: 'RNNFLOW_TRAIN_HELDOUT_FRACTION',
    flag: 'train-heldout-fraction',
    description: 'share of windows (or keys) held out for the comparison, and again for validation',
    schema: fractionSchema,
    default: '0.2',
  }),
  labelFeatures: setting({
    env: 'RNNFLOW_LABEL_FEATURES',
    flag: 'label-features',
    description:
      'feature indices forecast from the next event when an event has no target (one output each; the same variable tells predictors what to score)',
    schema: integerListSchema('feature indices', 0),
    default: '0',
  }),
  trainFrom: setting({
    env: 'RNNFLOW_TRAIN_FROM',
    flag: 'train-from',
    description: "start from the active version's weights (active) or from random ones (scratch)",
    schema: z.enum(['active', 'scratch']),
    default: 'active',
  }),
  cell: setting({
    env: 'RNNFLOW_TRAIN_CELL',
    flag: 'train-cell',
    description: 'recurrent cell of a model trained from scratch: lstm, gru or rnn',
    schema: z.enum(['lstm', 'gru', 'rnn']),
    default: 'lstm',
  }),
  units: setting({
    env: 'RNNFLOW_TRAIN_UNITS',
    flag: 'train-units',
    description: 'units per stacked recurrent layer from scratch, comma-separated (1 to 4 layers)',
    schema: integerListSchema('unit counts', 1).refine(
      (units) => units.length <= 4,
      'expected at most 4 layers',
    ),
    default: '32',
  }),
  seed: setting({
    env: 'RNNFLOW_TRAIN_SEED',
    flag: 'train-seed',
    description: 'seed of initial weights, batch order and key split (same data, same result)',
    schema: z.coerce.number({ message: 'expected a whole number' }).int('expected a whole number'),
    default: '1',
  }),
};

export type TrainerSettings = SettingsOf<typeof trainerSettings>;
