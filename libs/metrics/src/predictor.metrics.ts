import { Counter, Gauge, Histogram } from 'prom-client';
import { BatchHistogram } from './batch.histogram.js';
import { RecentLabelValues } from './label-values.window.js';
import {
  BATCH_SIZE_BUCKETS,
  CALL_SECONDS_BUCKETS,
  END_TO_END_SECONDS_BUCKETS,
  STEP_SECONDS_BUCKETS,
} from './metrics.buckets.js';
import { claimNames, type Metrics } from './metrics.registry.js';
import { PredictionErrorRecorder } from './prediction-error.recorder.js';

/** Outcome of a conditional state write: written, older than what is stored, or lost its lease. */
export type StateWriteResult = 'applied' | 'stale' | 'fenced';
/** Outcome of a state read: decoded, absent (new key), or present but undecodable. */
export type StateReadResult = 'found' | 'missing' | 'corrupt';
/** Outcome of a hot-swap attempt. */
export type ModelSwapOutcome = 'swapped' | 'refused';
/** A model version as `@rnnflow/registry` numbers it (positive integer); the `model_version` label value. */
export type ModelVersion = number;

const STATE_WRITE_RESULTS: readonly StateWriteResult[] = ['applied', 'stale', 'fenced'];
const STATE_READ_RESULTS: readonly StateReadResult[] = ['found', 'missing', 'corrupt'];
const MODEL_SWAP_OUTCOMES: readonly ModelSwapOutcome[] = ['swapped', 'refused'];

const NAMES = {
  consumed: 'rnnflow_predictor_events_consumed_total',
  predicted: 'rnnflow_predictor_events_predicted_total',
  deadLettered: 'rnnflow_predictor_events_dead_lettered_total',
  batchSize: 'rnnflow_predictor_batch_size_events',
  step: 'rnnflow_predictor_step_seconds',
  redisCall: 'rnnflow_predictor_redis_call_seconds',
  kafkaCall: 'rnnflow_predictor_kafka_call_seconds',
  endToEnd: 'rnnflow_predictor_end_to_end_seconds',
  consumerLag: 'rnnflow_predictor_consumer_lag_events',
  activeModel: 'rnnflow_predictor_active_model_version',
  stateWrites: 'rnnflow_predictor_state_writes_total',
  stateReads: 'rnnflow_predictor_state_reads_total',
  errors: 'rnnflow_predictor_errors_total',
  errorHistogram: 'rnnflow_predictor_prediction_absolute_error',
  errorMean: 'rnnflow_predictor_prediction_absolute_error_mean',
  modelSwaps: 'rnnflow_predictor_model_swaps_total',
  ready: 'rnnflow_predictor_ready',
  batchesInFlight: 'rnnflow_predictor_pipeline_batches_in_flight',
  oldestUncommitted: 'rnnflow_predictor_oldest_uncommitted_seconds',
  unavailablePartitions: 'rnnflow_predictor_unavailable_partitions',
  cacheKeys: 'rnnflow_predictor_state_cache_keys',
  cacheLookups: 'rnnflow_predictor_state_cache_lookups_total',
  cacheEvictions: 'rnnflow_predictor_state_cache_evictions_total',
} as const;

/** Every metric name {@link createPredictorMetrics} defines (for dashboard and alert checks). */
export const predictorMetricNames: readonly string[] = Object.values(NAMES);

/** The histogram of input record time → prediction delivered, seconds; readers quantile it. */
export const END_TO_END_METRIC = NAMES.endToEnd;

/** See {@link PredictorMetrics.pipeline}. */
export interface PipelineState {
  batchesInFlight: number;
  /** Seconds since the oldest batch not covered by a commit was taken; 0 when none. */
  oldestUncommittedSeconds: number;
  unavailablePartitions: number;
}

/** See {@link PredictorMetrics.stateCache}. */
export interface StateCacheCounts {
  keys: number;
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * What the predictor records. Counts are per call so the hot loop calls each method once per
 * batch. Label arguments must come from small fixed sets (codes, topic names, partitions),
 * never from entity keys or free text.
 */
export interface PredictorMetrics {
  /** `n` ≥ 0 records consumed from `topic`/`partition`. */
  eventsConsumed(topic: string, partition: number, n: number): void;
  /** `n` ≥ 0 predictions produced with `modelVersion`. */
  eventsPredicted(n: number, modelVersion: ModelVersion): void;
  /** `n` (default 1) records sent to the dead-letter topic; `reason` is a short code, e.g. `undecodable`. */
  deadLettered(reason: string, n?: number): void;
  /** Size of one processed batch, in events. */
  batchSize(n: number): void;
  /** Compute time of one recurrent step over a batch, in seconds. */
  stepSeconds(s: number): void;
  /** Duration of one Redis call (`op`: e.g. `load`, `save`), in seconds. */
  redisCallSeconds(op: string, s: number): void;
  /** Duration of one Kafka call (`op`: e.g. `produce`, `commit`), in seconds. */
  kafkaCallSeconds(op: string, s: number): void;
  /** Record timestamp → prediction produced, in seconds; one value or a batch of them. */
  endToEndSeconds(s: number | ArrayLike<number>): void;
  /** Records behind the high watermark of `topic`/`partition` (≥ 0). */
  consumerLag(topic: string, partition: number, lag: number): void;
  /** Drops the lag series of a partition this process no longer owns (after a rebalance). */
  partitionRevoked(topic: string, partition: number): void;
  /** The version of `model` now serving (a rollback may lower it). */
  activeModelVersion(model: string, version: ModelVersion): void;
  /** `n` conditional state writes that ended with `result`. */
  stateWrites(result: StateWriteResult, n: number): void;
  /** `n` state reads that ended with `result`. */
  stateReads(result: StateReadResult, n: number): void;
  /** One error of `kind` (an error code such as `REDIS_UNAVAILABLE`, never a message). */
  error(kind: string): void;
  /** Absolute prediction errors (≥ 0, target units) scored for `modelVersion`; one or a batch. */
  predictionError(modelVersion: ModelVersion, absErrors: number | ArrayLike<number>): void;
  /** One hot-swap attempt and its outcome. */
  modelSwap(outcome: ModelSwapOutcome): void;
  /** Whether the predictor is ready to serve (mirrors `/readyz`). */
  ready(isReady: boolean): void;
  /** The pipeline now: depth, age of the oldest uncommitted batch, partitions failing. */
  pipeline(state: PipelineState): void;
  /** Cached key states now, and lookups and evictions since the previous call. */
  stateCache(counts: StateCacheCounts): void;
}

/** Options of {@link createPredictorMetrics}. */
export interface PredictorMetricsOptions {
  /** Model versions whose per-version series are kept; older ones are dropped. Default 3. */
  modelVersionsKept?: number;
}

/** Defines the predictor's metrics in `metrics` (once per process) and returns its recorder. */
export function createPredictorMetrics(
  metrics: Metrics,
  options: PredictorMetricsOptions = {},
): PredictorMetrics {
  const registers = [claimNames(metrics, predictorMetricNames)];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers });

  const consumed = counter(NAMES.consumed, 'Records consumed.', ['topic', 'partition']);
  const predicted = counter(NAMES.predicted, 'Predictions produced.', ['model_version']);
  const deadLettered = counter(NAMES.deadLettered, 'Records sent to the dead-letter topic.', [
    'reason',
  ]);
  const stateWrites = counter(NAMES.stateWrites, 'Conditional state writes by result.', ['result']);
  const stateReads = counter(NAMES.stateReads, 'State reads by result.', ['result']);
  const errors = counter(NAMES.errors, 'Errors by kind (error code).', ['kind']);
  const modelSwaps = counter(NAMES.modelSwaps, 'Model hot-swap attempts by outcome.', ['outcome']);
  const batchSize = histogram(
    NAMES.batchSize,
    'Events per processed batch.',
    [],
    BATCH_SIZE_BUCKETS,
  );
  const step = histogram(
    NAMES.step,
    'Recurrent step compute time per batch.',
    [],
    STEP_SECONDS_BUCKETS,
  );
  const redisCall = histogram(
    NAMES.redisCall,
    'Redis call duration.',
    ['op'],
    CALL_SECONDS_BUCKETS,
  );
  const kafkaCall = histogram(
    NAMES.kafkaCall,
    'Kafka call duration.',
    ['op'],
    CALL_SECONDS_BUCKETS,
  );
  // Observed once per prediction: a batch at a time.
  const endToEnd = new BatchHistogram({
    name: NAMES.endToEnd,
    help: 'Record timestamp to prediction delivered (at-least-once: produced, its state written and offset committed; exactly-once: its transaction committed).',
    labelNames: [],
    buckets: END_TO_END_SECONDS_BUCKETS,
    registers,
  });
  const consumerLag = new Gauge({
    name: NAMES.consumerLag,
    help: 'Records behind the high watermark, per owned partition.',
    labelNames: ['topic', 'partition'],
    registers,
  });
  const activeModel = new Gauge({
    name: NAMES.activeModel,
    help: 'Registry version of each model now serving.',
    labelNames: ['model'],
    registers,
    // Worker processes swap within a poll of each other; the merged value is the oldest serving.
    aggregator: 'min',
  });
  // Merged over a machine's worker processes, the machine is ready only when every one is.
  const ready = new Gauge({
    name: NAMES.ready,
    help: '1 when ready to serve, else 0.',
    registers,
    aggregator: 'min',
  });

  const gauge = (name: string, help: string) =>
    new Gauge({ name, help, registers, aggregator: 'sum' });
  const batchesInFlight = gauge(
    NAMES.batchesInFlight,
    'Batches computed whose predictions or states are not durable yet (pipeline depth).',
  );
  const oldestUncommitted = new Gauge({
    name: NAMES.oldestUncommitted,
    help: 'Age of the oldest consumed batch whose offset is not committed yet.',
    registers,
    aggregator: 'max',
  });
  const unavailablePartitions = gauge(
    NAMES.unavailablePartitions,
    'Owned partitions whose last batch failed and that have not delivered one since.',
  );
  const cacheKeys = gauge(NAMES.cacheKeys, 'Key states held in the state cache.');
  const cacheLookups = counter(NAMES.cacheLookups, 'State cache lookups by result.', ['result']);
  const cacheEvictions = counter(
    NAMES.cacheEvictions,
    'Key states evicted from the state cache.',
    [],
  );

  // Fixed outcome sets start at 0 so rate() and absent() behave from the first scrape.
  for (const result of STATE_WRITE_RESULTS) stateWrites.labels(result).inc(0);
  for (const result of STATE_READ_RESULTS) stateReads.labels(result).inc(0);
  for (const outcome of MODEL_SWAP_OUTCOMES) modelSwaps.labels(outcome).inc(0);
  for (const result of ['hit', 'miss']) cacheLookups.labels(result).inc(0);
  ready.set(0);

  const versions = new RecentLabelValues(options.modelVersionsKept ?? 3, forgetVersion);
  const errorRecorder = new PredictionErrorRecorder(
    registers[0],
    { histogram: NAMES.errorHistogram, mean: NAMES.errorMean },
    versions,
  );
  function forgetVersion(version: string): void {
    predicted.remove(version);
    errorRecorder.forget(version);
  }

  // Plain labels(...) calls: prom-client's bound children hash their labels again on every call,
  // so caching them measured no faster (bench/recorder.bench.ts); each call is ~0.2 µs per batch.
  return {
    eventsConsumed: (topic, partition, n) => consumed.labels(topic, String(partition)).inc(n),
    eventsPredicted: (n, modelVersion) => {
      const version = String(modelVersion);
      versions.touch(version);
      predicted.labels(version).inc(n);
    },
    deadLettered: (reason, n = 1) => deadLettered.labels(reason).inc(n),
    batchSize: (n) => batchSize.observe(n),
    stepSeconds: (s) => step.observe(s),
    redisCallSeconds: (op, s) => redisCall.labels(op).observe(s),
    kafkaCallSeconds: (op, s) => kafkaCall.labels(op).observe(s),
    endToEndSeconds: (s) => endToEnd.observe(s),
    consumerLag: (topic, partition, lag) => consumerLag.labels(topic, String(partition)).set(lag),
    partitionRevoked: (topic, partition) => {
      consumerLag.remove(topic, String(partition));
    },
    activeModelVersion: (model, version) => activeModel.labels(model).set(version),
    stateWrites: (result, n) => stateWrites.labels(result).inc(n),
    stateReads: (result, n) => stateReads.labels(result).inc(n),
    error: (kind) => errors.labels(kind).inc(),
    predictionError: (modelVersion, absErrors) =>
      errorRecorder.record(String(modelVersion), absErrors),
    modelSwap: (outcome) => modelSwaps.labels(outcome).inc(),
    ready: (isReady) => ready.set(isReady ? 1 : 0),
    pipeline: (state) => {
      batchesInFlight.set(state.batchesInFlight);
      oldestUncommitted.set(state.oldestUncommittedSeconds);
      unavailablePartitions.set(state.unavailablePartitions);
    },
    stateCache: ({ keys, hits, misses, evictions }) => {
      cacheKeys.set(keys);
      cacheLookups.labels('hit').inc(hits);
      cacheLookups.labels('miss').inc(misses);
      cacheEvictions.inc(evictions);
    },
  };
}
