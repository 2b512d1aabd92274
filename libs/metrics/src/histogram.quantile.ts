/** A histogram's cumulative buckets, ascending: upper bound (+Inf last) and the count at or below it. */
export type CumulativeBuckets = readonly (readonly [upperBound: number, count: number])[];

/**
 * The q-quantile (0 < q ≤ 1) of a histogram's samples, interpolated linearly within its bucket
 * as Prometheus' `histogram_quantile` does: a quantile in the +Inf bucket reads as the largest
 * finite bound. NaN when the histogram counted nothing.
 */
export function histogramQuantile(q: number, buckets: CumulativeBuckets): number {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return NaN;
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
