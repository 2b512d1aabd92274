import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { scrapeMetric } from '../support/rnnflow.process.js';
import {
  allStepsSeen,
  collectPredictions,
  expectMatchesTfjs,
  makeSequences,
  PredictorHarness,
  startGroupMembers,
  produceSequences,
} from './predictor.harness.js';
import { expectFinalStatesMatch } from './state.check.js';

const KEYS = 50;
const EVENTS = 40;

describe('two predictors in one group', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('share the partitions, and the survivor finishes the work of one killed mid-run', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const [one, two] = await startGroupMembers(harness, 2);
    onTestFailed(() => console.error(`one:\n${one.log}\ntwo:\n${two.log}`));
    await produceSequences(harness, sequences);
    const early = await collectPredictions(harness, (_, count) => count >= (KEYS * EVENTS) / 3);
    const partitions = new Set(
      [...early.values()].flat().map((prediction) => prediction.source.partition),
    );
    expect(partitions.size).toBeGreaterThan(1);
    await one.kill();

    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, EVENTS));
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);
    expect(await two.stop(), two.log).toBe(0);
  });
});

describe('a busy predictor when another leaves the group', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('gives its in-flight batches back, rejoins at once and takes over every partition', async () => {
    const events = 80;
    const sequences = makeSequences(KEYS, events);
    const [one, two] = await startGroupMembers(harness, 2);
    onTestFailed(() => console.error(`one:\n${one.log}\ntwo:\n${two.log}`));
    await produceSequences(harness, sequences, { to: 10 });
    await collectPredictions(harness, allStepsSeen(KEYS, 10));

    // Steps keep arriving for ~10 s, so two has batches in flight when one leaves.
    const producing = produceSequences(harness, sequences, { from: 10, pauseMs: 150 });
    await sleep(2000);
    expect(await one.stop(), one.log).toBe(0);
    await producing;

    const byKey = await collectPredictions(harness, allStepsSeen(KEYS, events));
    expectMatchesTfjs(harness, sequences, byKey);
    await expectFinalStatesMatch(harness, sequences, byKey);
    const port = two.metricsPort!;
    // A rebalance is no failure: nothing was counted as an error and the survivor is ready.
    expect(await scrapeMetric(port, 'rnnflow_predictor_errors_total'), two.log).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, two.log).toBe(200);
    expect(await two.stop(), two.log).toBe(0);
  });
});
