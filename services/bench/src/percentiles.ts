/** Latency summary of a phase, milliseconds; every figure is null when there was no sample. */
export interface LatencySummary {
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
}

/**
 * Nearest-rank percentile (the smallest sample with at least `p` % of the samples at or below
 * it) of ascending `sorted`; p in (0, 100].
 */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  // The epsilon keeps a float product such as 99.9 % × 2000 = 1998.0000000000002 at rank 1998.
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99, p99.9 and max of `samples` (ms), which it sorts in place. */
export function summarizeLatency(samples: Float64Array): LatencySummary {
  if (samples.length === 0) {
    return { samples: 0, p50Ms: null, p99Ms: null, p999Ms: null, maxMs: null };
  }
  samples.sort();
  return {
    samples: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    p999Ms: percentile(samples, 99.9),
    maxMs: samples[samples.length - 1],
  };
}

/**
 * Least-squares slope of `values` over `times` (same length, seconds): how fast a lag grew, in
 * its unit per second; 0 with fewer than two points.
 */
export function slope(times: readonly number[], values: readonly number[]): number {
  const n = times.length;
  if (n < 2) return 0;
  const meanT = times.reduce((a, b) => a + b, 0) / n;
  const meanV = values.reduce((a, b) => a + b, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i += 1) {
    covariance += (times[i] - meanT) * (values[i] - meanV);
    variance += (times[i] - meanT) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}
