import { histogramQuantile, type CumulativeBuckets } from '@rnnflow/metrics';

/**
 * The cumulative `_bucket` counts of histogram `name` in a Prometheus text exposition; series
 * that differ in other labels (a worker, a service) add up.
 */
export function histogramBuckets(text: string, name: string): CumulativeBuckets {
  const counts = new Map<number, number>();
  const head = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(head)) continue;
    const le = /[{,]le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    const count = Number(line.slice(line.lastIndexOf(' ') + 1));
    counts.set(bound, (counts.get(bound) ?? 0) + count);
  }
  return [...counts].sort(([a], [b]) => a - b);
}

/** What a histogram gained between two scrapes, in ms. */
export interface HistogramWindow {
  samples: number;
  /** Interpolated within its bucket (Prometheus' `histogram_quantile`); null without samples. */
  p99Ms: number | null;
  /** Share of the samples at or below `boundMs`, exact when it is a bucket bound. */
  shareWithin: number | null;
}

/** Summarizes the samples observed between scrape `before` and scrape `after`. */
export function histogramWindow(
  before: CumulativeBuckets,
  after: CumulativeBuckets,
  boundMs: number,
): HistogramWindow {
  const earlier = new Map(before);
  const gained = after.map(([bound, count]) => [bound, count - (earlier.get(bound) ?? 0)] as const);
  const samples = gained.at(-1)?.[1] ?? 0;
  if (samples === 0) return { samples, p99Ms: null, shareWithin: null };
  const within = gained.find(([bound]) => bound * 1000 >= boundMs)?.[1] ?? samples;
  return { samples, p99Ms: histogramQuantile(0.99, gained) * 1000, shareWithin: within / samples };
}
