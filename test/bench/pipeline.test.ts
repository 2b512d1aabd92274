import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/rnnflow.process.js';

const MODES = ['at-least-once', 'exactly-once'];

/** The parts of a live contender's JSON this test reads. */
interface LiveContender {
  sustainable: { rate: number; trials: { rate: number; sustained: boolean }[] };
  runs: {
    load: string;
    sustained: boolean;
    events: number;
    achievedRate: number;
    maxLag: number;
    samples: number;
    undelivered: number;
    p50Ms: number | null;
    p99Ms: number | null;
    p999Ms: number | null;
    maxMs: number | null;
  }[];
}

// A smoke test of `rnnflow bench pipeline`: a tiny run that must produce every figure. Speeds
// are the benchmark's business, not this test's (the machine is shared and noisy).
describe('rnnflow bench pipeline --quick', () => {
  const directory = mkdtemp(join(tmpdir(), 'rnnflow-bench-test-'));
  afterAll(async () => rm(await directory, { recursive: true, force: true }));

  it('measures both backlogs and the live phase of every contender, as a table and JSON', async () => {
    const jsonFile = join(await directory, 'result.json');
    // prettier-ignore
    const run = await runCli(
      ['bench', 'pipeline', '--quick', '--keys', '200', '--events', '4000', '--naive-events', '400',
        '--live-keys', '200', '--live-seconds', '2', '--search-seconds', '1', '--search-bisections', '0',
        '--workers', '2', '--json', jsonFile],
      {},
    );
    expect(run.code, run.stderr).toBe(0);

    const result = JSON.parse(await readFile(jsonFile, 'utf8'));
    const printed = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(printed).toEqual(result);
    expect(result.options).toMatchObject({ keys: 200, events: 4000, units: 64, features: 8 });
    expect(result.options.predictorSettings, 'the benchmark measures the defaults').toEqual({});

    const { large, small } = result.backlog;
    expect(large.recordsPerRequest).toBeNull();
    expect(small.recordsPerRequest).toBe(2000);
    for (const [name, backlog] of Object.entries({ large, small })) {
      expect(backlog.passthrough.events, name).toBe(4000);
      expect(backlog.naive.events, name).toBe(400);
      for (const contender of [backlog.passthrough, backlog.naive])
        expect(contender.eventsPerSecond, name).toBeGreaterThan(0);
      for (const mode of MODES) {
        const predictor = backlog.predictor[mode];
        expect(predictor.events, `${name} ${mode}`).toBe(4000);
        for (const field of ['seconds', 'eventsPerSecond', 'vsPassthrough', 'vsNaive'])
          expect(predictor[field], `${name} ${mode} ${field}`).toBeGreaterThan(0);
        for (const field of ['meanBatchEvents', 'readSeconds', 'computeSeconds', 'produceSeconds'])
          expect(predictor.phases[field], `${name} ${mode} phases.${field}`).toBeGreaterThan(0);
        expect(predictor.phases.errors, `${name} ${mode} batch errors`).toBe(0);
      }
    }
    expect(large.naiveSequential.events).toBe(400);
    expect(large.workers.processes).toBe(2);
    for (const mode of MODES) {
      expect(large.workers.predictor[mode].events, `${mode}, 2 processes`).toBe(4000);
      expect(large.workers.predictor[mode].phases.errors, `${mode}, 2 processes`).toBe(0);
    }

    const { live } = result;
    expect(Object.keys(live.contenders)).toEqual(['floor', ...MODES]);
    expect(live.reference.rate).toBeGreaterThanOrEqual(0);
    for (const [name, contender] of Object.entries(
      live.contenders as Record<string, LiveContender>,
    )) {
      const { sustainable, runs } = contender;
      expect(sustainable.rate, name).toBeGreaterThanOrEqual(0);
      expect(sustainable.trials[0], name).toEqual({ rate: 500, sustained: runs[0].sustained });
      expect(sustainable.trials.length, name).toBeGreaterThanOrEqual(2);
      expect(runs[0].load, name).toBe('500 ev/s');
      // 500 ev/s, then 25/50/75 % of the reference rate when there is one.
      expect(runs.length, name).toBe(live.reference.rate > 0 ? 4 : 1);
      for (const window of runs) {
        expect(window.events, `${name} ${window.load}`).toBeGreaterThan(0);
        expect(window.achievedRate, `${name} ${window.load}`).toBeGreaterThan(0);
        expect(window.maxLag, `${name} ${window.load}`).toBeGreaterThanOrEqual(0);
        expect(window.samples + window.undelivered, `${name} ${window.load}`).toBeGreaterThan(0);
        // Nearest-rank percentiles of the window's samples, or null without any.
        const figures = [window.p50Ms, window.p99Ms, window.p999Ms, window.maxMs];
        if (window.samples === 0) expect(figures).toEqual([null, null, null, null]);
        else expect(figures).toEqual([...(figures as number[])].sort((a, b) => a - b));
      }
    }
    // The floor service's fetch wait is short whatever the predictor's defaults: it always
    // delivers its fixed-rate window.
    expect(live.contenders.floor.runs[0].samples).toBeGreaterThan(0);

    expect(result.targets.map((target: { name: string }) => target.name)).toEqual([
      'at-least-once p99 at 500 ev/s (ms)',
      'at-least-once p99 at 25 % (ms)',
      'at-least-once sustainable rate ÷ floor service',
      'small requests: at-least-once ÷ passthrough',
      'small requests: at-least-once ÷ naive',
      '1 MiB requests: at-least-once ÷ passthrough',
      '1 MiB requests: at-least-once ÷ naive',
      'exactly-once sustainable rate ÷ at-least-once',
      'exactly-once read_committed p99 at 500 ev/s (ms)',
      'exactly-once read_committed p99 at 25 % (ms)',
    ]);
    expect(run.stdout).toContain('| kafkajs service (floor) |');
    expect(run.stdout).toContain('| predictor exactly-once, 2 processes |');
    // Backlogs, then at least 3 sessions of each of 3 live contenders: about 3-4 minutes, more
    // on a busy machine.
  }, 900_000);
});
