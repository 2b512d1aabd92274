import { describe, expect, it } from 'vitest';
import { histogramBuckets, histogramWindow } from './histogram.delta.js';

const NAME = 'rnnflow_predictor_end_to_end_seconds';

function exposition(counts: Record<string, number>): string {
  return [
    `# HELP ${NAME} Record timestamp to prediction produced.`,
    `# TYPE ${NAME} histogram`,
    ...Object.entries(counts).map(
      ([le, count]) => `${NAME}_bucket{le="${le}",service="predictor"} ${count}`,
    ),
    `${NAME}_sum 12.5`,
    `${NAME}_count ${Object.values(counts).at(-1)}`,
    'other_metric_bucket{le="0.1"} 99',
  ].join('\n');
}

describe('histogramWindow', () => {
  const before = histogramBuckets(
    exposition({ '0.05': 10, '0.1': 10, '0.15': 10, '+Inf': 10 }),
    NAME,
  );

  it('reads the cumulative buckets of one histogram', () => {
    expect([...before]).toEqual([
      [0.05, 10],
      [0.1, 10],
      [0.15, 10],
      [Infinity, 10],
    ]);
  });

  it('summarizes what was observed between two scrapes', () => {
    // 1000 new samples: 500 ≤ 50 ms, 480 in (50, 100], 15 in (100, 150], 5 above.
    const after = histogramBuckets(
      exposition({ '0.05': 510, '0.1': 990, '0.15': 1005, '+Inf': 1010 }),
      NAME,
    );
    const window = histogramWindow(before, after, 150);
    expect(window.samples).toBe(1000);
    expect(window.shareWithin).toBeCloseTo(0.995, 12);
    // Rank 990 lies 10 of 15 samples into (100, 150]: 100 + 50 × 10/15 ms.
    expect(window.p99Ms).toBeCloseTo(100 + (50 * 10) / 15, 9);
    expect(histogramWindow(before, after, 100).shareWithin).toBeCloseTo(0.98, 12);
  });

  it('reads a p99 past the last finite bound as that bound, and has nothing without samples', () => {
    const slow = histogramBuckets(
      exposition({ '0.05': 10, '0.1': 10, '0.15': 10, '+Inf': 110 }),
      NAME,
    );
    expect(histogramWindow(before, slow, 150)).toEqual({
      samples: 100,
      p99Ms: 150,
      shareWithin: 0,
    });
    expect(histogramWindow(before, before, 150)).toEqual({
      samples: 0,
      p99Ms: null,
      shareWithin: null,
    });
  });
});
