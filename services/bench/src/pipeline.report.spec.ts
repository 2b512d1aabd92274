import { describe, expect, it } from 'vitest';
import { FULL_PRESET } from './pipeline.options.js';
import {
  compared,
  judgeTargets,
  predictorResult,
  renderTables,
  type PipelineResult,
} from './pipeline.report.js';

const latency = {
  targetRate: 1000,
  achievedRate: 990,
  samples: 20_000,
  p50Ms: 12,
  p99Ms: 80,
  maxMs: 95,
};
const phases = {
  meanBatchEvents: 8000,
  readSeconds: 1,
  computeSeconds: 0.5,
  produceSeconds: 2,
  commitSeconds: 0.3,
  errors: 0,
};
const passthrough = { events: 200_000, seconds: 2, eventsPerSecond: 100_000 };
const naive = { events: 5000, seconds: 2.5, eventsPerSecond: 2000 };
const naiveSequential = { events: 5000, seconds: 5, eventsPerSecond: 1000 };

function resultWith(predictorRate: number): PipelineResult {
  const measured = {
    events: 200_000,
    seconds: 200_000 / predictorRate,
    eventsPerSecond: predictorRate,
    phases,
  };
  const predictor = {
    'at-least-once': predictorResult(measured, latency, { passthrough, naive, naiveSequential }),
  };
  return {
    options: { ...FULL_PRESET, workers: 1 },
    passthrough,
    naive,
    naiveSequential,
    predictor,
    targets: judgeTargets(predictor),
  };
}

describe('judgeTargets', () => {
  it('compares the at-least-once predictor with both baselines', () => {
    expect(resultWith(60_000).targets).toEqual([
      { name: 'at-least-once predictor / passthrough', goal: 0.5, measured: 0.6, met: true },
      { name: 'at-least-once predictor / naive', goal: 15, measured: 30, met: true },
    ]);
    expect(resultWith(20_000).targets.map((target) => target.met)).toEqual([false, false]);
  });

  it('judges the multi-process predictor too, naming its process count', () => {
    const measured = { events: 200_000, seconds: 2, eventsPerSecond: 100_000, phases };
    const workers = {
      processes: 2,
      predictor: { 'at-least-once': compared(measured, { passthrough, naive, naiveSequential }) },
    };
    expect(judgeTargets(resultWith(20_000).predictor, workers).slice(2)).toEqual([
      {
        name: 'at-least-once predictor, 2 processes / passthrough',
        goal: 0.5,
        measured: 1,
        met: true,
      },
      { name: 'at-least-once predictor, 2 processes / naive', goal: 15, measured: 50, met: true },
    ]);
    expect(renderTables({ ...resultWith(20_000), workers })).toContain(
      '| predictor at-least-once, 2 processes | 200000 | 2.00 | 100000 | – |',
    );
  });

  it('judges nothing when at-least-once was not measured', () => {
    expect(judgeTargets({})).toEqual([]);
  });
});

describe('renderTables', () => {
  it('prints each contender, the ratios, the latency and the verdicts', () => {
    const table = renderTables(resultWith(40_000));
    expect(table).toContain(
      '| passthrough (consume → produce) | 200000 | 2.00 | 100000 | 0.40 (ALO) |',
    );
    expect(table).toContain(
      '| naive (per event, 3 partitions at once) | 5000 | 2.50 | 2000 | 20.00 (ALO) |',
    );
    expect(table).toContain(
      '| naive (per event, 1 partition at a time) | 5000 | 5.00 | 1000 | 40.00 (ALO) |',
    );
    expect(table).toContain(
      '| predictor at-least-once | 200000 | 5.00 | 40000 | – | 990 | 12.0 | 80.0 |',
    );
    expect(table).toContain('| at-least-once predictor / passthrough | ≥ 0.5 | 0.40 | MISSED |');
    expect(table).toContain('| at-least-once predictor / naive | ≥ 15 | 20.00 | met |');
  });
});
