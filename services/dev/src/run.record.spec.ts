import { describe, expect, it } from 'vitest';
import { RunRecord } from './run.record.js';

const START = 1_000_000;

function scored(key: string, version: number, at: number, actual: number, forecast: number) {
  return { key, step: 2, version, actual, forecast, eventTime: START + at * 1000 };
}

describe('RunRecord', () => {
  it('lists versions in serving order and a swap at the first prediction of each new one', () => {
    const record = new RunRecord(3, 2);
    record.start(START);
    record.predicted(1, START + 500);
    record.predicted(1, START + 900);
    record.predicted(2, START + 20_000);
    // A straggler of the old version on another partition is not a swap back.
    record.predicted(1, START + 19_000);
    record.predicted(3, START + 41_500);
    expect(record.versions()).toEqual([1, 2, 3]);
    expect(record.swaps()).toEqual([
      { at: 20, from: 1, to: 2 },
      { at: 41.5, from: 2, to: 3 },
    ]);
  });

  it('averages the absolute error per version overall and per time bin', () => {
    const record = new RunRecord(3, 2);
    record.start(START);
    record.scored(scored('a', 1, 0.5, 1, 0));
    record.scored(scored('a', 1, 1.5, 0, 3));
    record.scored(scored('b', 1, 2.5, 2, 2.5));
    record.scored(scored('b', 2, 3, 2, 2.1));
    const overall = record.onlineError();
    expect(overall.get(1)).toEqual({ mean: (1 + 3 + 0.5) / 3, count: 3 });
    expect(overall.get(2)!.mean).toBeCloseTo(0.1, 12);
    expect(record.errorBins()).toEqual([
      { at: 0, version: 1, meanAbsoluteError: 2, count: 2 },
      { at: 2, version: 1, meanAbsoluteError: 0.5, count: 1 },
      { at: 2, version: 2, meanAbsoluteError: expect.closeTo(0.1, 12), count: 1 },
    ]);
  });

  it('keeps every forecast of the first keys scored, and only of those', () => {
    const record = new RunRecord(2, 2);
    record.start(START);
    for (const key of ['k1', 'k2', 'k3', 'k1']) record.scored(scored(key, 1, 1, 0, 1));
    const tracked = record.trackedKeys();
    expect([...tracked.keys()]).toEqual(['k1', 'k2']);
    expect(tracked.get('k1')).toHaveLength(2);
    expect(tracked.get('k1')![0]).toEqual({ at: 1, actual: 0, forecast: 1, version: 1 });
  });
});
