import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const EVENTS = 40;

describe('two predictors in one group', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('share the partitions, and the survivor finishes the work of one killed mid-run', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    const [one, two] = [await harness.startPredictor(), await harness.startPredictor()];
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
