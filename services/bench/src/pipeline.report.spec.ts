import { describe, expect, it } from 'vitest';
import type { LiveContenderResult, LiveResult, LiveRun } from './live.phase.js';
import { FULL_PRESET } from './pipeline.options.js';
import { compared, renderTables, type PipelineResult } from './pipeline.report.js';
import { judgeTargets } from './pipeline.targets.js';

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

function predictor(rate: number) {
  return { events: 200_000, seconds: 200_000 / rate, eventsPerSecond: rate, phases };
}

function run(load: string, targetRate: number, p99Ms: number | null, sustained = true): LiveRun {
  return {
    load,
    targetRate,
    achievedRate: targetRate,
    events: targetRate * 10,
    samples: p99Ms === null ? 0 : targetRate * 10,
    p50Ms: p99Ms === null ? null : p99Ms / 2,
    p99Ms,
    p999Ms: p99Ms === null ? null : p99Ms * 2,
    maxMs: p99Ms === null ? null : p99Ms * 3,
    lagGrowthPerSecond: 1,
    maxLag: 12,
    undelivered: 0,
    stoppedEarly: false,
    benchStallMs: 3,
    committed: null,
    sustained,
  };
}

function contender(rate: number, p99At500: number | null, p99At25: number): LiveContenderResult {
  return {
    sustainable: {
      rate,
      atCeiling: false,
      trials: [
        { rate: 500, sustained: true },
        { rate: rate * 2, sustained: false },
      ],
      p99BoundMs: 50,
    },
    searchWindows: [],
    runs: [run('500 ev/s', 500, p99At500), run('25 %', 1000, p99At25)],
    warmups: [run('', 500, 80)],
  };
}

function resultWith(live: LiveResult['contenders'], smallRate = 70_000): PipelineResult {
  const large = {
    recordsPerRequest: null,
    passthrough,
    naive,
    naiveSequential,
    predictor: { 'at-least-once': compared(predictor(60_000), { passthrough, naive }) },
  };
  const small = {
    recordsPerRequest: 2000,
    passthrough,
    naive,
    predictor: { 'at-least-once': compared(predictor(smallRate), { passthrough, naive }) },
  };
  const backlog = { large, small };
  const liveResult = {
    reference: { contender: 'at-least-once' as const, rate: 4000 },
    contenders: live,
  };
  return {
    options: { ...FULL_PRESET, workers: 1, predictorSettings: {} },
    backlog,
    live: liveResult,
    targets: judgeTargets(backlog, liveResult),
  };
}

describe('judgeTargets', () => {
  it('judges latency against the floor at the same rate, rates and backlogs by ratio', () => {
    const result = resultWith({
      floor: contender(5000, 10, 30),
      'at-least-once': contender(4000, 19, 50),
    });
    expect(result.targets).toEqual([
      {
        name: 'at-least-once p99 at 500 ev/s (ms)',
        comparison: '≤',
        goal: 20,
        measured: 19,
        met: true,
      },
      {
        name: 'at-least-once p99 at 25 % (ms)',
        comparison: '≤',
        goal: 45,
        measured: 50,
        met: false,
      },
      {
        name: 'at-least-once sustainable rate ÷ floor service',
        comparison: '≥',
        goal: 0.7,
        measured: 0.8,
        met: true,
      },
      {
        name: 'small requests: at-least-once ÷ passthrough',
        comparison: '≥',
        goal: 0.6,
        measured: 0.7,
        met: true,
      },
      {
        name: 'small requests: at-least-once ÷ naive',
        comparison: '≥',
        goal: 15,
        measured: 35,
        met: true,
      },
      {
        name: '1 MiB requests: at-least-once ÷ passthrough',
        comparison: '≥',
        goal: 0.5,
        measured: 0.6,
        met: true,
      },
      {
        name: '1 MiB requests: at-least-once ÷ naive',
        comparison: '≥',
        goal: 15,
        measured: 30,
        met: true,
      },
    ]);
  });

  it('misses a target without a figure, and judges exactly-once against at-least-once', () => {
    const result = resultWith({
      floor: contender(0, null, 30),
      'at-least-once': contender(4000, null, 50),
      'exactly-once': contender(3000, 120, 160),
    });
    const byName = new Map(result.targets.map((target) => [target.name, target]));
    expect(byName.get('at-least-once p99 at 500 ev/s (ms)')).toMatchObject({
      measured: null,
      met: false,
    });
    expect(byName.get('at-least-once sustainable rate ÷ floor service')).toMatchObject({
      measured: null,
      met: false,
    });
    expect(byName.get('exactly-once sustainable rate ÷ at-least-once')).toMatchObject({
      goal: 0.8,
      measured: 0.75,
      met: false,
    });
    expect(byName.get('exactly-once read_committed p99 at 500 ev/s (ms)')).toMatchObject({
      goal: 150,
      met: true,
    });
    expect(byName.get('exactly-once read_committed p99 at 25 % (ms)')).toMatchObject({
      met: false,
    });
  });

  it('judges exactly-once on the later of the reader p99 and the commits p99', () => {
    const eos = contender(3000, 40, 30);
    eos.runs[0] = { ...eos.runs[0], committed: { samples: 5000, p99Ms: 170, shareWithin: 0.97 } };
    const result = resultWith({ 'exactly-once': eos });
    const byName = new Map(result.targets.map((target) => [target.name, target]));
    expect(byName.get('exactly-once read_committed p99 at 500 ev/s (ms)')).toMatchObject({
      measured: 170,
      met: false,
    });
    expect(byName.get('exactly-once read_committed p99 at 25 % (ms)')).toMatchObject({
      measured: 30,
      met: true,
    });
  });
});

describe('renderTables', () => {
  it('prints the live rates and windows, both backlogs and the verdicts', () => {
    const table = renderTables(
      resultWith({ floor: contender(5000, 10, 30), 'at-least-once': contender(4000, 19, 50) }),
    );
    expect(table).toContain('predictor settings: defaults');
    expect(table).toContain('| kafkajs service (floor) | 5000 | 1.00 | 50 | 500✓ 10000✗ |');
    expect(table).toContain('| predictor at-least-once | 4000 | 0.80 | 50 | 500✓ 8000✗ |');
    expect(table).toContain(
      '| predictor at-least-once | 25 % (1000) | 1000 | 25.0 | 50.0 | 100.0 | – | 1 | 12 | yes |',
    );
    expect(table).toContain(
      '| predictor at-least-once | warm-up before 500 ev/s | 500 | 40.0 | 80.0 | 160.0 | – | 1 | 12 | not judged |',
    );
    expect(table).toContain(
      '| passthrough (consume → produce) | 100000 | – | – | 100000 | – | – |',
    );
    expect(table).toContain(
      '| predictor at-least-once | 60000 | 0.60 | 30.0 | 70000 | 0.70 | 35.0 |',
    );
    expect(table).toContain('| at-least-once p99 at 25 % (ms) | ≤ 45.00 | 50.00 | MISSED |');
  });

  it('says when the predictor did not run with its defaults', () => {
    const result = resultWith({});
    result.options.predictorSettings = { 'fetch-max-wait-ms': '10' };
    expect(renderTables(result)).toContain(
      'predictor settings: --fetch-max-wait-ms 10 (not the defaults)',
    );
  });
});
