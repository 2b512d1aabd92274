import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/rnnflow.process.js';

// A smoke test of `rnnflow bench pipeline`: a tiny run that must produce every figure. Speeds
// are the benchmark's business, not this test's (the machine is shared and noisy).
describe('rnnflow bench pipeline --quick', () => {
  const directory = mkdtemp(join(tmpdir(), 'rnnflow-bench-test-'));
  afterAll(async () => rm(await directory, { recursive: true, force: true }));

  it('measures every contender in both delivery modes and reports them as a table and JSON', async () => {
    const jsonFile = join(await directory, 'result.json');
    const run = await runCli(
      [
        'bench',
        'pipeline',
        '--quick',
        '--keys',
        '200',
        '--events',
        '4000',
        '--naive-events',
        '400',
        '--latency-seconds',
        '3',
        '--workers',
        '2',
        '--json',
        jsonFile,
      ],
      {},
    );
    expect(run.code, run.stderr).toBe(0);

    const result = JSON.parse(await readFile(jsonFile, 'utf8'));
    const printed = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(printed).toEqual(result);
    expect(result.options).toMatchObject({ keys: 200, events: 4000, units: 64, features: 8 });

    const positive = expect.any(Number);
    for (const contender of [result.passthrough, result.naive, result.naiveSequential]) {
      expect(contender.seconds).toBeGreaterThan(0);
      expect(contender.eventsPerSecond).toBeGreaterThan(0);
    }
    expect(result.passthrough.events).toBe(4000);
    expect(result.naive.events).toBe(400);
    expect(result.naiveSequential.events).toBe(400);
    for (const mode of ['at-least-once', 'exactly-once']) {
      const predictor = result.predictor[mode];
      expect(predictor.events, mode).toBe(4000);
      for (const field of [
        'seconds',
        'eventsPerSecond',
        'vsPassthrough',
        'vsNaive',
        'vsNaiveSequential',
      ])
        expect(predictor[field], `${mode} ${field}`).toBeGreaterThan(0);
      for (const field of ['meanBatchEvents', 'readSeconds', 'computeSeconds', 'produceSeconds'])
        expect(predictor.phases[field], `${mode} phases.${field}`).toBeGreaterThan(0);
      expect(predictor.phases.errors, `${mode} batch errors`).toBe(0);
      const latency = predictor.latency;
      for (const field of ['targetRate', 'achievedRate', 'samples', 'p50Ms', 'p99Ms', 'maxMs'])
        expect(latency[field], `${mode} latency.${field}`).toBeGreaterThan(0);
      expect(latency.p50Ms).toBeLessThanOrEqual(latency.p99Ms);
      expect(latency.p99Ms).toBeLessThanOrEqual(latency.maxMs);
    }
    expect(result.workers.processes).toBe(2);
    for (const mode of ['at-least-once', 'exactly-once']) {
      const predictor = result.workers.predictor[mode];
      expect(predictor.events, `${mode}, 2 processes`).toBe(4000);
      for (const field of ['eventsPerSecond', 'vsPassthrough', 'vsNaive', 'vsNaiveSequential'])
        expect(predictor[field], `${mode}, 2 processes: ${field}`).toBeGreaterThan(0);
      expect(predictor.phases.errors, `${mode}, 2 processes: batch errors`).toBe(0);
    }
    const target = (name: string, goal: number) => ({
      name,
      goal,
      measured: positive,
      met: expect.any(Boolean),
    });
    expect(result.targets).toEqual([
      target('at-least-once predictor / passthrough', 0.5),
      target('at-least-once predictor / naive', 15),
      target('at-least-once predictor, 2 processes / passthrough', 0.5),
      target('at-least-once predictor, 2 processes / naive', 15),
    ]);
    expect(run.stdout).toContain('| predictor at-least-once |');
    expect(run.stdout).toContain('| predictor exactly-once |');
    expect(run.stdout).toContain('| predictor exactly-once, 2 processes |');
    // Eight predictor starts and their group joins take about 45 s; a busy machine may double it.
  }, 150_000);
});
