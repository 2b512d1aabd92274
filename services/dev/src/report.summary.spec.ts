import { describe, expect, it } from 'vitest';
import { latencyLine } from './report.summary.js';

describe('latencyLine', () => {
  it('names the three percentiles, the prediction count and where they come from', () => {
    const latency = { predictions: 18_000, p50Ms: 4.2, p99Ms: 21, p999Ms: 48.5 };
    expect(latencyLine({ latency })).toBe(
      'prediction latency p50 4.2 ms, p99 21 ms, p99.9 48.5 ms over 18000 predictions ' +
        "(input record time → prediction produced, from the predictor's histogram)",
    );
  });

  it('says so when nothing was predicted', () => {
    expect(latencyLine({ latency: null })).toBe('prediction latency: no prediction made');
  });
});
