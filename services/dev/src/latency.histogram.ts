import { END_TO_END_METRIC, histogramQuantile, type MetricSample } from '@rnnflow/metrics';

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
 * p50, p99 and p99.9 of the end-to-end histogram's samples (see `histogramQuantile`);
 * undefined when it counted nothing. Series of several workers add up.
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
  const quantile = (q: number) => histogramQuantile(q, buckets) * 1000;
  return {
    predictions: total,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    p999Ms: quantile(0.999),
  };
}
