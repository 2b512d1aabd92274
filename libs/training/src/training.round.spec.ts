import { decodeModel } from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventBuffer } from './event.buffer.js';
import { evaluateRecurrentModel } from './model.evaluate.js';
import { buildWindows } from './sequence.builder.js';
import { seasonalBuffer } from './testing/seasonal.fixture.js';
import { initTrainingBackend } from './training.backend.js';
import { runTrainingRound, type RoundOptions } from './training.round.js';

const OPTIONS: RoundOptions = {
  architecture: {
    inputSize: 1,
    layers: [
      {
        type: 'gru',
        units: 8,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        resetAfter: false,
        useBias: true,
      },
    ],
    head: { units: 1, activation: 'linear', useBias: true },
  },
  windows: { length: 20, forecastFeatures: [0] },
  heldOut: { by: 'time', fraction: 0.2 },
  training: {
    epochs: 25,
    batchSize: 8,
    learningRate: 0.02,
    clipNorm: 1,
    seed: 3,
    earlyStopping: { patience: 5, minDelta: 0 },
  },
  margin: 0.02,
  metadata: { round: 1 },
};

// A timeout only catches a hang: a round trains for real (25 epochs), 2–5 s on two loaded
// cores, which vitest's 5 s default cut short in CI.
describe('runTrainingRound', { timeout: 60_000 }, () => {
  const buffer = seasonalBuffer({ keys: 6, eventsPerKey: 200, period: 12, noise: 0.05, seed: 9 });

  beforeAll(async () => {
    await initTrainingBackend();
  });

  it('trains from scratch without a champion and accepts a finite challenger', async () => {
    const before = tf.memory().numTensors;
    const round = await runTrainingRound(buffer, null, OPTIONS);
    expect(tf.memory().numTensors).toBe(before);
    expect(round.startedFrom).toBe('scratch');
    expect(round.windows).toEqual({ train: 36, validation: 12, heldOut: 12 });
    expect(round.comparison).toMatchObject({ championLoss: null, improvement: null, accept: true });
    expect(round.comparison.challengerLoss).toBeLessThan(0.1);
    expect(round.challenger.metadata).toMatchObject({ round: 1, startedFrom: 'scratch' });
    expect(round.challenger.normalization).not.toBeNull();
    const published = decodeModel(round.artefact);
    const all = buildWindows(buffer, {
      length: 20,
      forecastFeatures: [0],
      inputSize: 1,
      outputSize: 1,
    });
    expect(evaluateRecurrentModel(published, all)).toBe(
      evaluateRecurrentModel(round.challenger, all),
    );
  });

  it('fine-tunes from the champion and judges the challenger against it', async () => {
    const first = await runTrainingRound(buffer, null, {
      ...OPTIONS,
      training: { ...OPTIONS.training, epochs: 2 },
    });
    const second = await runTrainingRound(buffer, first.challenger, OPTIONS);
    expect(second.startedFrom).toBe('champion');
    expect(second.challenger.fingerprint).toBe(first.challenger.fingerprint);
    expect(second.challenger.normalization).toEqual(first.challenger.normalization);
    expect(second.comparison.championLoss).toBeCloseTo(first.comparison.challengerLoss, 6);
    expect(second.comparison.improvement).toBeGreaterThan(0.2);
    expect(second.comparison.accept).toBe(true);
  });

  it('refuses to run without enough data', async () => {
    const small = new EventBuffer({ inputSize: 1, targetSize: 1, maxEventsPerKey: 10, maxKeys: 1 });
    for (let t = 0; t < 5; t++) small.add('k', [t], undefined, t);
    await expect(runTrainingRound(small, null, OPTIONS)).rejects.toMatchObject({
      code: 'TRAINING_NO_DATA',
    });
  });
});
