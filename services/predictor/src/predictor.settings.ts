import {
  featureIndexListSchema,
  kafkaSettings,
  loggingSettings,
  portSchema,
  positiveIntegerSchema,
  redisSettings,
  setting,
  startupSettings,
  z,
  type SettingsOf,
  metricsHostSetting,
} from '@rnnflow/config';

/** Every setting of `rnnflow predictor`: each an environment variable and a flag. */
export const predictorSettings = {
  ...kafkaSettings,
  ...redisSettings,
  ...loggingSettings,
  ...startupSettings,
  model: setting({
    env: 'RNNFLOW_MODEL',
    flag: 'model',
    description: 'model name in the registry; the predictor serves its active version',
    schema: z.string(),
    default: 'default',
  }),
  inputTopic: setting({
    env: 'RNNFLOW_INPUT_TOPIC',
    flag: 'input-topic',
    description: 'topic of input events',
    schema: z.string().min(1),
    default: 'events',
  }),
  outputTopic: setting({
    env: 'RNNFLOW_OUTPUT_TOPIC',
    flag: 'output-topic',
    description: 'topic the predictions go to',
    schema: z.string().min(1),
    default: 'predictions',
  }),
  deadLetterTopic: setting({
    env: 'RNNFLOW_DLQ_TOPIC',
    flag: 'dlq-topic',
    description: 'topic for records that cannot be read, with the reason in headers',
    schema: z.string().min(1),
    default: 'events.dlq',
  }),
  groupId: setting({
    env: 'RNNFLOW_GROUP_ID',
    flag: 'group-id',
    description: 'Kafka consumer group shared by all predictor instances',
    schema: z.string().min(1),
    default: 'rnnflow-predictor',
  }),
  metricsPort: setting({
    env: 'RNNFLOW_METRICS_PORT',
    flag: 'metrics-port',
    description: 'HTTP port for /metrics, /healthz and /readyz (0 picks a free port)',
    schema: portSchema({ allowZero: true }),
    default: '9464',
  }),
  metricsHost: metricsHostSetting,
  delivery: setting({
    env: 'RNNFLOW_DELIVERY',
    flag: 'delivery',
    description: 'at-least-once, or exactly-once with Kafka transactions',
    schema: z.enum(['at-least-once', 'exactly-once']),
    default: 'at-least-once',
  }),
  kafkaProducer: setting({
    env: 'RNNFLOW_KAFKA_PRODUCER',
    flag: 'kafka-producer',
    description:
      'client that produces at-least-once predictions: librdkafka (node-rdkafka, built at npm ci), kafkajs, or auto (librdkafka when it is installed); exactly-once always uses kafkajs transactions',
    schema: z.enum(['auto', 'librdkafka', 'kafkajs']),
    default: 'auto',
  }),
  maxValueBytes: setting({
    env: 'RNNFLOW_MAX_VALUE_BYTES',
    flag: 'max-value-bytes',
    description: 'larger input values go to the dead-letter topic',
    schema: positiveIntegerSchema('byte count'),
    default: '65536',
  }),
  stateTtlMs: setting({
    env: 'RNNFLOW_STATE_TTL_MS',
    flag: 'state-ttl-ms',
    description: 'forget a key state after this long without events (0 keeps states forever)',
    schema: z.coerce.number().int().min(0, 'expected 0 or more milliseconds'),
    default: '0',
  }),
  statePrecision: setting({
    env: 'RNNFLOW_STATE_PRECISION',
    flag: 'state-precision',
    description:
      'precision of key states in Redis: float32, or float16 at about half the bytes; switching starts every key afresh, as a new architecture does',
    schema: z.enum(['float32', 'float16']),
    default: 'float32',
  }),
  partitionsConcurrently: setting({
    env: 'RNNFLOW_PARTITIONS_CONCURRENTLY',
    flag: 'partitions-concurrently',
    description: 'partition batches processed at the same time by one instance',
    schema: positiveIntegerSchema('partition count'),
    default: '3',
  }),
  workers: setting({
    env: 'RNNFLOW_WORKERS',
    flag: 'workers',
    description:
      'predictor processes on this machine, each a group member with its own partitions; ' +
      'the first serves their merged /metrics, /healthz and /readyz (one per core uses them all)',
    schema: positiveIntegerSchema('process count').max(64),
    default: '1',
  }),
  sessionTimeoutMs: setting({
    env: 'RNNFLOW_SESSION_TIMEOUT_MS',
    flag: 'session-timeout-ms',
    description: "the group gives a silent instance's partitions to others after this long",
    schema: z.coerce
      .number()
      .int()
      .min(6000, 'expected at least 6000 ms')
      .max(300_000, 'expected at most 300000 ms'),
    default: '30000',
  }),
  fetchMaxWaitMs: setting({
    env: 'RNNFLOW_FETCH_MAX_WAIT_MS',
    flag: 'fetch-max-wait-ms',
    description:
      'longest a fetch waits for new input, or auto: 500 ms, and 10 ms on the embedded mock broker, which waits out the whole wait of a fetch that finds nothing (Kafka answers as soon as records arrive)',
    schema: z.union([
      z.literal('auto'),
      z.coerce
        .number()
        .int()
        .min(0, 'expected auto or 0 to 30000 ms')
        .max(30_000, 'expected auto or 0 to 30000 ms'),
    ]),
    default: 'auto',
  }),
  commitIntervalMs: setting({
    env: 'RNNFLOW_COMMIT_INTERVAL_MS',
    flag: 'commit-interval-ms',
    description:
      'how often offsets are committed (at-least-once: those whose states are written); exactly-once: how old the oldest event of a transaction gets before it commits',
    schema: z.coerce
      .number()
      .int()
      .min(1, 'expected 1 to 60000 ms')
      .max(60_000, 'expected 1 to 60000 ms'),
    default: '100',
  }),
  stateCacheKeys: setting({
    env: 'RNNFLOW_STATE_CACHE_KEYS',
    flag: 'state-cache-keys',
    description:
      'key states of owned partitions kept in memory, least recently used out (a miss reads Redis); memory ≈ keys × (state bytes + ~300)',
    schema: positiveIntegerSchema('key count'),
    default: '100000',
  }),
  maxEventsInFlight: setting({
    env: 'RNNFLOW_MAX_EVENTS_IN_FLIGHT',
    flag: 'max-events-in-flight',
    description:
      "events of one partition computed but not yet delivered; the partition's next batch waits beyond this",
    schema: positiveIntegerSchema('event count'),
    default: '20000',
  }),
  swapStatePolicy: setting({
    env: 'RNNFLOW_SWAP_STATE_POLICY',
    flag: 'swap-state-policy',
    description:
      'states of keys after a new version of the same architecture goes live: carry (keep), reset (start afresh) or rewarm (recompute from the last inputs)',
    schema: z.enum(['carry', 'reset', 'rewarm']),
    default: 'carry',
  }),
  rewarmWindow: setting({
    env: 'RNNFLOW_REWARM_WINDOW',
    flag: 'rewarm-window',
    description: 'inputs kept per key for the rewarm policy',
    schema: z.coerce
      .number()
      .int()
      .min(1, 'expected 1 to 1024 inputs')
      .max(1024, 'expected 1 to 1024 inputs'),
    default: '16',
  }),
  keepInputs: setting({
    env: 'RNNFLOW_KEEP_INPUTS',
    flag: 'keep-inputs',
    description:
      'last inputs kept per key in its state record, whatever the swap policy, for rnnflow state inspect to replay (0 keeps none; rewarm keeps at least its window and replays all kept)',
    schema: z.coerce
      .number()
      .int()
      .min(0, 'expected 0 to 1024 inputs')
      .max(1024, 'expected 0 to 1024 inputs'),
    default: '0',
  }),
  labelFeatures: setting({
    env: 'RNNFLOW_LABEL_FEATURES',
    flag: 'label-features',
    description:
      'feature indices the model forecasts for the next event, comma-separated, scored online when it arrives ("" turns it off; events with a "target" are scored against it)',
    schema: featureIndexListSchema,
    default: '0',
  }),
};

export type PredictorSettings = SettingsOf<typeof predictorSettings>;
