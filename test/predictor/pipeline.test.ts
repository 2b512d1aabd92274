import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { scrapeMetric } from '../support/rnnflow.process.js';
import {
  allStepsSeen,
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  produceSequences,
  startGroupMembers,
} from './predictor.harness.js';
import { expectFinalStatesMatch } from './state.check.js';

const KEYS = 30;
const EVENTS = 24;

describe.each(['at-least-once', 'exactly-once'] as const)(
  'the pipelined predictor (%s)',
  (delivery) => {
    const harness = new PredictorHarness();
    beforeAll(() => harness.start({ env: { RNNFLOW_DELIVERY: delivery } }));
    afterAll(() => harness.stop());

    it('survives SIGKILL while later batches are produced and earlier states are not written yet', async () => {
      const sequences = makeSequences(KEYS, EVENTS);
      const first = await harness.startPredictor();
      onTestFailed(() => console.error(first.log));
      await produceSequences(harness, sequences, { to: 8 });
      await collectPredictions(harness, allStepsSeen(KEYS, 8));

      // Redis stops answering: every key is cached, so batches are still computed and produced,
      // but no state reaches Redis and nothing can be committed.
      const redisPid = redisProcessId(harness.redis.port);
      process.kill(redisPid, 'SIGSTOP');
      try {
        await produceSequences(harness, sequences, { from: 8, to: 12, pauseMs: 100 });
        if (delivery === 'at-least-once') {
          // Steps 9-12 were produced: the pipeline ran ahead of its state writes.
          await collectPredictions(harness, allStepsSeen(KEYS, 12));
        } else {
          await sleep(1000);
        }
        await first.kill();
      } finally {
        process.kill(redisPid, 'SIGCONT');
      }

      const second = await harness.startPredictor();
      onTestFailed(() => console.error(second.log));
      await produceSequences(harness, sequences, { from: 12 });
      const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
      expectMatchesTfjs(harness, sequences, byKey);
      await expectFinalStatesMatch(harness, sequences, byKey);
      expect(await second.stop(), second.log).toBe(0);
    });
  },
);

describe.each(['at-least-once', 'exactly-once'] as const)(
  'a partition that leaves a predictor and comes back (%s)',
  (delivery) => {
    const harness = new PredictorHarness();
    beforeAll(() => harness.start({ env: { RNNFLOW_DELIVERY: delivery } }));
    afterAll(() => harness.stop());

    it('is served again from where its other owner left it, with no gap and no double step', async () => {
      const events = 60;
      const sequences = makeSequences(KEYS, events);
      const [one] = await startGroupMembers(harness, 1);
      onTestFailed(() => console.error(`one:\n${one.log}`));
      const producing = produceSequences(harness, sequences, { pauseMs: 200 });
      await sleep(2000);
      // A second member takes some of one's partitions while one has batches in flight ...
      const [two] = await startGroupMembers(harness, 1);
      onTestFailed(() => console.error(`two:\n${two.log}`));
      await expect.poll(() => assignments(one.log), { timeout: 30_000 }).toBeGreaterThan(1);
      await sleep(2000);
      // ... and gives them back when it leaves.
      expect(await two.stop(), two.log).toBe(0);
      await expect.poll(() => assignments(one.log), { timeout: 30_000 }).toBeGreaterThan(2);
      await producing;

      const byKey = await collectPredictions(harness, allStepsSeen(KEYS, events));
      expectMatchesTfjs(harness, sequences, byKey);
      await expectFinalStatesMatch(harness, sequences, byKey);
      const port = one.metricsPort!;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, one.log).toBe(200);
      expect(await one.stop(), one.log).toBe(0);
    });
  },
);

describe('an exactly-once partition whose transaction was fenced', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start({ env: { RNNFLOW_DELIVERY: 'exactly-once' } }));
  afterAll(() => harness.stop());

  it('is read again with a new producer and served, and the predictor is ready again', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const predictor = await harness.startPredictor();
    onTestFailed(() => console.error(predictor.log));
    await produceSequences(harness, sequences, { to: 4 });
    await collectPredictions(harness, allStepsSeen(KEYS, 4));
    // The broker's answer to a zombie's EndTxn (API 26): INVALID_PRODUCER_EPOCH.
    await harness.kafka.pushRequestErrors(26, [47]);
    await produceSequences(harness, sequences, { from: 4, pauseMs: 50 });
    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);
    const port = predictor.metricsPort!;
    expect(
      await scrapeMetric(port, 'rnnflow_predictor_errors_total', { kind: 'fenced' }),
      predictor.log,
    ).toBe(1);
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status)
      .toBe(200);
    expect(await predictor.stop(), predictor.log).toBe(0);
  });
});

describe('a state cache smaller than the keys', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start({ env: { RNNFLOW_STATE_CACHE_KEYS: '8' } }));
  afterAll(() => harness.stop());

  it('evicts written states and reads them back from Redis, exactly', async () => {
    const steps = 8;
    const sequences = makeSequences(KEYS, steps);
    const predictor = await harness.startPredictor();
    onTestFailed(() => console.error(predictor.log));
    const port = predictor.metricsPort!;
    const predicted = async () =>
      (await scrapeMetric(port, 'rnnflow_predictor_events_predicted_total', {
        model_version: '1',
      })) ?? 0;
    for (let step = 0; step < steps; step += 1) {
      await produceSequences(harness, sequences, { from: step, to: step + 1 });
      // Predictions count once their states are written: the next step finds them evictable.
      await expect.poll(predicted, { timeout: 20_000 }).toBe(KEYS * (step + 1));
    }
    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, steps));
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);
    // The counters are refreshed every second.
    await expect
      .poll(() => scrapeMetric(port, 'rnnflow_predictor_state_cache_evictions_total'), {
        timeout: 5000,
      })
      .toBeGreaterThan(KEYS);
    expect(
      await scrapeMetric(port, 'rnnflow_predictor_state_cache_lookups_total', { result: 'miss' }),
    ).toBeGreaterThan(KEYS);
    expect(await predictor.stop(), predictor.log).toBe(0);
  });
});

function redisProcessId(port: number): number {
  const info = execFileSync('redis-cli', ['-p', String(port), 'info', 'server'], {
    encoding: 'utf8',
  });
  return Number(/process_id:(\d+)/.exec(info)![1]);
}

function assignments(log: string): number {
  return log.split('partitions assigned').length - 1;
}
