import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPredictions,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const KEYS = 8;
const EVENTS = 12;
const SWITCH_AT = 6;

describe('switching RNNFLOW_STATE_PRECISION on a running deployment', () => {
  const harness = new PredictorHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('never decodes the other precision: every key starts afresh once, then counts on', async () => {
    const sequences = makeSequences(KEYS, EVENTS);
    await produceSequences(harness, sequences, { to: SWITCH_AT });
    const float32 = await harness.startPredictor({ RNNFLOW_STATE_PRECISION: 'float32' });
    await collectPredictions(harness, (_, count) => count === KEYS * SWITCH_AT);
    expect(await float32.stop(), float32.log).toBe(0);

    const float16 = await harness.startPredictor({ RNNFLOW_STATE_PRECISION: 'float16' });
    await produceSequences(harness, sequences, { from: SWITCH_AT });
    const byKey = await collectPredictions(harness, (_, count) => count === KEYS * EVENTS);
    expect(await float16.stop(), float16.log).toBe(0);

    const upTo = (n: number) => Array.from({ length: n }, (_, index) => index + 1);
    expect(byKey.size).toBe(KEYS);
    for (const [key, predictions] of byKey) {
      const steps = predictions.map((prediction) => prediction.step);
      // 1..6 under float32; the float32 states read as foreign, so 1..6 again under float16.
      expect(steps, key).toEqual([...upTo(SWITCH_AT), ...upTo(EVENTS - SWITCH_AT)]);
    }
  }, 240_000);
});
