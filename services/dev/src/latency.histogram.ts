import type { MetricSample } from '@rnnflow/metrics';

/** The predictor's histogram of input record time → prediction produced, seconds. */
export const END_TO_END_METRIC = 'rnnflow_predictor_end_to_end_seconds';

/** Prediction latency over a run, milliseconds, estimated from the predictor's histogram. */
export interface LatencyPercentiles {
  /** Predictions the histogram counted. */
  readonly predictions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

const BUCKET_SERIES = `${END_TO_END_METRIC}_bucket`;

/**
 * p50, p99 and p99.9 of the end-to-end histogram's samples, interpolated linearly within a
 * bucket as Prometheus' `histogram_quantile` does (a quantile in the +Inf bucket reads as the
 * largest finite bound); undefined when it counted nothing. Series of several workers add up.
 */
export function latencyPercentiles(
  samples: readonly MetricSample[],
): LatencyPercentiles | undefined {
  const cumulative = new Map<number, number>();
  for (const { name, labels, value } of samples) {
    if (name !== BUCKET_SERIES || labels.le === undefined) continue;
    const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
    cumulative.set(bound, (cumulative.get(bound) ?? 0) + value);
  }
  const buckets = [...cumulative].sort(([a], [b]) => a - b);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return undefined;
  const quantile = (q: number) => histogramQuantile(q, buckets, total) * 1000;
  return {
    predictions: total,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    p999Ms: quantile(0.999),
  };
}

function histogramQuantile(
  q: number,
  buckets: readonly (readonly [number, number])[],
  total: number,
): number {
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lower;
      return lower + ((bound - lower) * (rank - below)) / Math.max(count - below, 1e-12);
    }
    [lower, below] = [bound, count];
  }
  return lower;
}
