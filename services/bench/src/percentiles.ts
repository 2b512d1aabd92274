/** Latency summary of a phase, milliseconds. */
export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Nearest-rank percentile (the smallest sample with at least `p` % of the samples at or below
 * it) of ascending `sorted`; p in (0, 100].
 */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99 and max of `samples` (ms), which it sorts in place. */
export function summarizeLatency(samples: Float64Array): LatencySummary {
  samples.sort();
  return {
    samples: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: samples[samples.length - 1],
  };
}
