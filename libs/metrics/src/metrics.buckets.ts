/**
 * Histogram bucket upper bounds, each chosen for what it measures. Units are in the comment and
 * in the metric names that use them.
 */

/** Seconds, 10 µs – 250 ms: one recurrent step over a batch on CPU. */
export const STEP_SECONDS_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
  0.25,
];

/** Seconds, 100 µs – 5 s: one Redis or Kafka round trip (pipelined batches included). */
export const CALL_SECONDS_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * Seconds, 1 ms – 60 s: record timestamp to prediction delivered, including consumer lag. 0.15
 * is an exactly-once transaction's bound (a 100 ms commit interval + 50 ms), so the share of
 * predictions within it is exact.
 */
export const END_TO_END_SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** Events per batch, 1 – 10 000 (kafkajs batches are bounded by fetch size). */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** Absolute prediction error in target units, 0.001 – 1000, roughly ×2.5 per bucket. */
export const ABSOLUTE_ERROR_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000,
];

/** Seconds, 100 ms – 1 h: one training round (fit, validate, publish). */
export const ROUND_SECONDS_BUCKETS = [
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];
