/** The predictor's histogram of input record time → prediction produced, seconds. */
const END_TO_END_METRIC = 'rnnflow_predictor_end_to_end_seconds';

/** Prediction latency over a run, milliseconds, estimated from the predictor's histogram. */
export interface LatencyPercentiles {
  /** Predictions the histogram counted. */
  readonly predictions: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

const BUCKET_LINE = new RegExp(`^${END_TO_END_METRIC}_bucket\\{(.*)\\}\\s+(\\S+)`);
const LE_LABEL = /le="([^"]+)"/;

/**
 * p50, p99 and p99.9 of the end-to-end histogram in a Prometheus text exposition, interpolated
 * linearly within a bucket as Prometheus' `histogram_quantile` does (a quantile in the +Inf
 * bucket reads as the largest finite bound); undefined when it counted nothing.
 */
export function latencyPercentiles(exposition: string): LatencyPercentiles | undefined {
  const cumulative = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    const bucket = BUCKET_LINE.exec(line);
    const le = bucket === null ? null : LE_LABEL.exec(bucket[1]);
    if (bucket === null || le === null) continue;
    const bound = le[1] === '+Inf' ? Infinity : Number(le[1]);
    cumulative.set(bound, (cumulative.get(bound) ?? 0) + Number(bucket[2]));
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
