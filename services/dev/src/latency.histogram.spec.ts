import { describe, expect, it } from 'vitest';
import type { MetricSample } from '@rnnflow/metrics';
import { latencyPercentiles } from './latency.histogram.js';

const BUCKET = 'rnnflow_predictor_end_to_end_seconds_bucket';

function bucket(le: string, value: number, labels: Record<string, string> = {}): MetricSample {
  return { name: BUCKET, labels: { ...labels, le }, value };
}

function exposition(buckets: [string, number][]): MetricSample[] {
  return [
    ...buckets.map(([le, count]) => bucket(le, count)),
    {
      name: 'rnnflow_predictor_end_to_end_seconds_count',
      labels: {},
      value: buckets.at(-1)?.[1] ?? 0,
    },
    { name: 'rnnflow_predictor_step_seconds_bucket', labels: { le: '0.001' }, value: 99 },
  ];
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
    const one = bucket('0.01', 2, { worker: '1' });
    const two = bucket('0.01', 2, { worker: '2' });
    const inf = [bucket('+Inf', 2, { worker: '1' }), bucket('+Inf', 2, { worker: '2' })];
    expect(latencyPercentiles([one, two, ...inf])?.predictions).toBe(4);
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
    expect(latencyPercentiles([])).toBeUndefined();
  });
});
