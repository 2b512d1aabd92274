import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../support/processes.js';
import { scrapeMetric, type ServiceProcess } from '../support/rnnflow.process.js';
import {
  allStepsSeen,
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';
import { expectFinalStatesMatch } from './state.check.js';

const KEYS = 50;
const EVENTS = 20;

interface LogLine {
  msg?: string;
  worker?: number;
  workers?: number[];
  assignment?: { partitions: number[] }[];
}

function logLines(log: string): LogLine[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Each worker's last logged assignment, by worker id. */
function assignments(log: string): Map<number, number[]> {
  const byWorker = new Map<number, number[]>();
  for (const line of logLines(log)) {
    if (line.msg === 'partitions assigned' && line.worker !== undefined)
      byWorker.set(line.worker, line.assignment?.flatMap(({ partitions }) => partitions) ?? []);
  }
  return byWorker;
}

async function sumOf(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Fails with the service's log instead of hanging until the test times out. */
async function withLogOnTimeout<T>(work: Promise<T>, log: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within 60 s; log:\n${log()}`)), 60_000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `rnnflow predictor --workers 2` and waits until both workers hold partitions. */
async function startWorkers(harness: PredictorHarness): Promise<ServiceProcess> {
  const predictor = await harness.startPredictor({
    RNNFLOW_WORKERS: '2',
    RNNFLOW_LOG_LEVEL: 'info',
  });
  await expect
    .poll(() => assignments(predictor.log).size === 2 || predictor.child.exitCode !== null, {
      timeout: 45_000,
    })
    .toBe(true);
  if (predictor.child.exitCode !== null) {
    throw new Error(`predictor exited at start:\n${predictor.log}`);
  }
  return predictor;
}

describe('rnnflow predictor --workers 2', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('splits the partitions over two processes behind one metrics port, and stops them all', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const predictor = await startWorkers(harness);
    await produceSequences(harness, sequences);
    const byKey = await withLogOnTimeout(
      collectPredictions(harness, allStepsSeen(KEYS, EVENTS)),
      () => predictor.log,
    );
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);

    const shares = [...assignments(predictor.log).values()];
    expect(shares, predictor.log).toHaveLength(2);
    expect(
      shares.every((share) => share.length > 0),
      predictor.log,
    ).toBe(true);
    expect(shares.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    // One scrape covers both workers (each holds half the events; a rebalance may hand a worker
    // records the other consumed but had not committed yet), both ready.
    const port = predictor.metricsPort!;
    await expect
      .poll(() => sumOf(port, 'rnnflow_predictor_events_consumed_total'), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(KEYS * EVENTS);
    expect(await sumOf(port, 'rnnflow_predictor_events_predicted_total')).toBeGreaterThanOrEqual(
      KEYS * EVENTS,
    );
    expect(await scrapeMetric(port, 'rnnflow_predictor_ready')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const pids = logLines(predictor.log).find(
      ({ msg }) => msg === 'predictor workers started',
    )?.workers;
    expect(pids, predictor.log).toHaveLength(2);
    expect(await predictor.stop(), predictor.log).toBe(0);
    expect(pids!.filter(isAlive)).toEqual([]);
    expect(predictor.log).not.toContain('"msg":"predictor worker exited"');
  });

  it('stops the whole set with exit code 1 when a worker dies', async () => {
    const predictor = await startWorkers(harness);
    const pids = logLines(predictor.log).find(
      ({ msg }) => msg === 'predictor workers started',
    )?.workers;
    expect(pids, predictor.log).toHaveLength(2);
    process.kill(pids![0], 'SIGKILL');
    await expect.poll(() => predictor.child.exitCode, { timeout: 20_000 }).toBe(1);
    expect(pids!.filter(isAlive)).toEqual([]);
    expect(predictor.log).toContain('"msg":"predictor worker exited"');
  });
});
