import { describe, expect, it } from 'vitest';
import { latencyPercentiles } from './latency.histogram.js';

function exposition(buckets: [string, number][]): string {
  return [
    '# TYPE rnnflow_predictor_end_to_end_seconds histogram',
    ...buckets.map(
      ([le, count]) => `rnnflow_predictor_end_to_end_seconds_bucket{le="${le}"} ${count}`,
    ),
    `rnnflow_predictor_end_to_end_seconds_count ${buckets.at(-1)?.[1] ?? 0}`,
    'rnnflow_predictor_step_seconds_bucket{le="0.001"} 99',
  ].join('\n');
}

describe('latencyPercentiles', () => {
  it('interpolates within the bucket holding each rank', () => {
    // 1000 predictions: 400 ≤ 5 ms, 600 more ≤ 10 ms… 990 ≤ 25 ms, 999 ≤ 50 ms, 1 above.
    const text = exposition([
      ['0.005', 400],
      ['0.01', 900],
      ['0.025', 990],
      ['0.05', 999],
      ['+Inf', 1000],
    ]);
    const percentiles = latencyPercentiles(text)!;
    expect(percentiles.predictions).toBe(1000);
    // rank 500 lies 100 of 500 into (5, 10] ms.
    expect(percentiles.p50Ms).toBeCloseTo(6);
    // rank 990 is the top of (10, 25] ms.
    expect(percentiles.p99Ms).toBeCloseTo(25);
    // rank 999 is the top of (25, 50] ms.
    expect(percentiles.p999Ms).toBeCloseTo(50);
  });

  it('reads a rank in the +Inf bucket as the largest finite bound', () => {
    const text = exposition([
      ['0.01', 10],
      ['0.1', 10],
      ['+Inf', 1000],
    ]);
    expect(latencyPercentiles(text)).toMatchObject({ p50Ms: 100, p99Ms: 100 });
  });

  it('adds up the series of several workers bucket by bucket', () => {
    const one = 'rnnflow_predictor_end_to_end_seconds_bucket{le="0.01",worker="1"} 2';
    const two = 'rnnflow_predictor_end_to_end_seconds_bucket{worker="2",le="0.01"} 2';
    const inf = [
      'rnnflow_predictor_end_to_end_seconds_bucket{le="+Inf",worker="1"} 2',
      'rnnflow_predictor_end_to_end_seconds_bucket{le="+Inf",worker="2"} 2',
    ];
    expect(latencyPercentiles([one, two, ...inf].join('\n'))?.predictions).toBe(4);
  });

  it('has nothing to say before the first prediction', () => {
    expect(
      latencyPercentiles(
        exposition([
          ['0.01', 0],
          ['+Inf', 0],
        ]),
      ),
    ).toBeUndefined();
    expect(latencyPercentiles('')).toBeUndefined();
  });
});
