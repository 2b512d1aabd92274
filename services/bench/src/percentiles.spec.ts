import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency } from './percentiles.js';

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
    expect(summary).toEqual({ samples: 5, p50Ms: 9, p99Ms: 100, maxMs: 100 });
  });
});
