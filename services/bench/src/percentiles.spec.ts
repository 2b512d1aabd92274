import { describe, expect, it } from 'vitest';
import { percentile, slope, summarizeLatency } from './percentiles.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(Float64Array.of(7), 1)).toBe(7);
  });

  it('refuses an empty sample set', () => {
    expect(() => percentile(new Float64Array(0), 50)).toThrow(RangeError);
  });
});

describe('summarizeLatency', () => {
  it('sorts the samples numerically before ranking', () => {
    const summary = summarizeLatency(Float64Array.of(30, 4, 100, 9, 2));
    expect(summary).toEqual({ samples: 5, p50Ms: 9, p99Ms: 100, p999Ms: 100, maxMs: 100 });
  });

  it('ranks p99.9 apart from p99 once there are enough samples', () => {
    const samples = Float64Array.from({ length: 2000 }, (_, i) => 2000 - i);
    expect(summarizeLatency(samples)).toMatchObject({ p99Ms: 1980, p999Ms: 1998, maxMs: 2000 });
  });

  it('has no figures without samples', () => {
    expect(summarizeLatency(new Float64Array(0))).toEqual({
      samples: 0,
      p50Ms: null,
      p99Ms: null,
      p999Ms: null,
      maxMs: null,
    });
  });
});

describe('slope', () => {
  it('fits a least-squares line', () => {
    expect(slope([0, 1, 2, 3], [10, 30, 50, 70])).toBeCloseTo(20);
    expect(slope([0, 1, 2, 3], [5, 6, 4, 5])).toBeCloseTo(-0.2);
  });

  it('is 0 without two distinct times', () => {
    expect(slope([1], [4])).toBe(0);
    expect(slope([1, 1], [4, 9])).toBe(0);
  });
});
