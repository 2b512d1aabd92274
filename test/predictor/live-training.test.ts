import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scrapeMetric } from '../support/rnnflow.process.js';
import {
  collectPredictions,
  makeSequences,
  PredictorHarness,
  produceSequences,
} from './predictor.harness.js';

const KEYS = 16;
const BEFORE = 60;
const AFTER = 30;

describe('a version trained on the live stream, swapped into a running predictor', () => {
  const harness = new PredictorHarness({ outputs: 1 });
  beforeAll(() => harness.start({ partitions: 3, env: { RNNFLOW_LABEL_FEATURES: '0' } }));
  afterAll(() => harness.stop());

  it('serves every step once across the swap, and its online error is below the untrained one', async () => {
    const sequences = makeSequences(KEYS, BEFORE + AFTER);
    const slice = (from: number, to: number) =>
      new Map([...sequences].map(([key, sequence]) => [key, sequence.slice(from, to)]));
    const predictor = await harness.startPredictor();
    await produceSequences(harness, slice(0, BEFORE));
    await collectPredictions(harness, (_, count) => count === KEYS * BEFORE);

    const trained = await runCli(['trainer', '--once'], {
      ...harness.env,
      RNNFLOW_TRAINER_GROUP_ID: `trainer-${harness.run}`,
      RNNFLOW_TRAIN_WINDOW: '16',
      RNNFLOW_TRAIN_WINDOW_STRIDE: '8',
      RNNFLOW_TRAIN_EPOCHS: '40',
      RNNFLOW_TRAIN_LEARNING_RATE: '0.01',
      RNNFLOW_TRAIN_MARGIN: '0.2',
    });
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({
      round: { outcome: 'published', version: 2 },
    });
    await expect
      .poll(() => scrapeMetric(predictor.metricsPort!, 'rnnflow_predictor_active_model_version'), {
        timeout: 5000,
      })
      .toBe(2);

    await produceSequences(harness, slice(BEFORE, BEFORE + AFTER));
    const byKey = await collectPredictions(
      harness,
      (_, count) => count === KEYS * (BEFORE + AFTER),
    );
    for (const [key, predictions] of byKey) {
      expect(
        predictions.map((prediction) => prediction.step),
        key,
      ).toEqual(Array.from({ length: BEFORE + AFTER }, (_, index) => index + 1));
      expect(
        predictions.slice(BEFORE).every((prediction) => prediction.model.version === 2),
        key,
      ).toBe(true);
    }
    const error = (version: string) =>
      scrapeMetric(predictor.metricsPort!, 'rnnflow_predictor_prediction_absolute_error_mean', {
        model_version: version,
      });
    const [untrained, trainedError] = [await error('1'), await error('2')];
    expect(trainedError).toBeDefined();
    expect(trainedError!).toBeLessThan(untrained! / 2);
    expect(await predictor.stop(), predictor.log).toBe(0);
  });
});
