import type { RecurrentModel } from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitHeldOut } from './heldout.split.js';
import { compareModels } from './model.compare.js';
import { evaluate, evaluateRecurrentModel } from './model.evaluate.js';
import { fitNormalization, normalizedInputs } from './normalization.fit.js';
import { buildWindows } from './sequence.builder.js';
import { seasonalBuffer } from './testing/seasonal.fixture.js';
import { createTrainableModel, toRecurrentModel, type TrainableModel } from './tfjs.model.js';
import { train, type TrainOptions } from './train.loop.js';
import { initTrainingBackend } from './training.backend.js';
import type { WindowSet } from './window.set.js';

const ARCHITECTURE = {
  inputSize: 1,
  layers: [
    { type: 'lstm', units: 12, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
  ],
  head: { units: 1, activation: 'linear', useBias: true },
} as const;

const OPTIONS: TrainOptions = {
  epochs: 30,
  batchSize: 8,
  learningRate: 0.02,
  clipNorm: 1,
  seed: 7,
};

function seasonalData() {
  const buffer = seasonalBuffer({ keys: 6, eventsPerKey: 160, period: 12, noise: 0.05, seed: 3 });
  const windows = buildWindows(buffer, {
    length: 20,
    inputSize: 1,
    outputSize: 1,
    forecastFeatures: [0],
  });
  return splitHeldOut(windows, { by: 'time', fraction: 0.25 });
}

/** tfjs predictions for every step of every window, `[N × T × O]`. */
function predictAll(model: TrainableModel, set: WindowSet): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(normalizedInputs(set, model.normalization), [
      set.count,
      set.length,
      set.inputSize,
    ]);
    return (model.network.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

/** The cells stepper's outputs for the same windows, each from a zero state. */
function stepAll(model: RecurrentModel, set: WindowSet): Float32Array {
  const { count: N, length: T, inputSize: I, outputSize: O } = set;
  const stepper = model.createStepper(N);
  const states = model.createStates(N);
  const inputs = new Float32Array(N * I);
  const outputs = new Float32Array(N * O);
  const all = new Float32Array(N * T * O);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++)
      inputs.set(set.inputs.subarray((n * T + t) * I, (n * T + t + 1) * I), n * I);
    stepper.step(inputs, states, N, outputs);
    for (let n = 0; n < N; n++) all.set(outputs.subarray(n * O, (n + 1) * O), (n * T + t) * O);
  }
  return all;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k] - b[k]));
  return max;
}

describe('training a challenger on a seasonal multi-key signal', () => {
  const { train: trainSet, heldOut } = seasonalData();
  let model: TrainableModel;
  let untrainedLoss: number;
  let trainedLoss: number;

  beforeAll(async () => {
    await initTrainingBackend();
    model = createTrainableModel({
      architecture: ARCHITECTURE,
      seed: 1,
      normalization: fitNormalization(trainSet),
    });
    untrainedLoss = evaluate(model, heldOut);
    const result = await train(model, { train: trainSet, validation: heldOut }, OPTIONS);
    trainedLoss = evaluate(model, heldOut);
    console.log(
      `seasonal: backend ${tf.getBackend()}, held-out MSE ${untrainedLoss.toFixed(4)} → ${trainedLoss.toFixed(4)} ` +
        `(${((1 - trainedLoss / untrainedLoss) * 100).toFixed(1)} % lower) in ${result.steps} steps, ${result.seconds.toFixed(1)} s`,
    );
  }, 60_000);

  afterAll(() => model?.network.dispose());

  it('reduces the held-out loss by at least half', () => {
    expect(trainSet.count).toBeGreaterThan(0);
    expect(heldOut.count).toBeGreaterThan(0);
    expect(trainedLoss).toBeLessThan(untrainedLoss * 0.5);
  });

  it('serves exactly what was trained: the cells stepper reproduces tfjs within 1e-5', async () => {
    const served = await toRecurrentModel(model, { metadata: { run: 'spec' } });
    expect(served.normalization).not.toBeNull();
    expect(maxAbsDifference(stepAll(served, heldOut), predictAll(model, heldOut))).toBeLessThan(
      1e-5,
    );
    expect(evaluateRecurrentModel(served, heldOut)).toBeCloseTo(trainedLoss, 5);
  });

  it('fine-tunes from the served model, starting from its exact predictions', async () => {
    const champion = await toRecurrentModel(model);
    const challenger = createTrainableModel({ from: champion });
    try {
      expect(
        maxAbsDifference(predictAll(challenger, heldOut), stepAll(champion, heldOut)),
      ).toBeLessThan(1e-5);
      const comparison = compareModels(champion, await toRecurrentModel(challenger), heldOut, {
        margin: 0.01,
      });
      expect(comparison.improvement).toBeCloseTo(0, 5);
      expect(comparison.accept).toBe(false);
    } finally {
      challenger.network.dispose();
    }
  });
});

describe('tensor hygiene', () => {
  it('leaves no tensor behind across training rounds', async () => {
    await initTrainingBackend();
    const { train: trainSet, heldOut } = seasonalData();
    const round = async (seed: number) => {
      const model = createTrainableModel({ architecture: ARCHITECTURE, seed });
      await train(
        model,
        { train: trainSet, validation: heldOut },
        { ...OPTIONS, epochs: 2, earlyStopping: { patience: 1, minDelta: 0 } },
      );
      evaluate(model, heldOut);
      const fineTuned = createTrainableModel({ from: await toRecurrentModel(model) });
      await train(fineTuned, { train: trainSet }, { ...OPTIONS, epochs: undefined, steps: 3 });
      model.network.dispose();
      fineTuned.network.dispose();
    };
    await round(1);
    const before = tf.memory().numTensors;
    await round(2);
    await round(3);
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});

describe('train options', () => {
  const { train: trainSet, heldOut } = seasonalData();
  const small = { ...ARCHITECTURE, layers: [{ ...ARCHITECTURE.layers[0], units: 4 }] } as const;

  async function run(options: Partial<TrainOptions>, withValidation = true) {
    await initTrainingBackend();
    const model = createTrainableModel({ architecture: small, seed: 1 });
    try {
      const data = withValidation ? { train: trainSet, validation: heldOut } : { train: trainSet };
      return await train(model, data, {
        ...OPTIONS,
        epochs: undefined,
        steps: 6,
        ...options,
      } as TrainOptions);
    } finally {
      model.network.dispose();
    }
  }

  it('is reproducible for a seed', async () => {
    const first = await run({ evalEvery: 2 });
    expect(first.history.map((h) => h.step)).toEqual([2, 4, 6]);
    expect((await run({ evalEvery: 2 })).history).toEqual(
      first.history.map((h) => ({ ...h, elapsedSeconds: expect.any(Number) })),
    );
  });

  it('stops early when the validation loss stops improving by minDelta', async () => {
    const result = await run({
      steps: 50,
      evalEvery: 1,
      earlyStopping: { patience: 2, minDelta: 10 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.steps).toBe(3);
    expect(result.validationLoss).toBe(Math.min(...result.history.map((h) => h.validationLoss!)));
  });

  it('stops after the current step when aborted, reporting progress', async () => {
    const controller = new AbortController();
    const result = await run({
      steps: 50,
      evalEvery: 2,
      onProgress: (p) => p.step >= 4 && controller.abort(),
      signal: controller.signal,
    });
    expect(result.steps).toBe(4);
    expect(result.stoppedEarly).toBe(false);
  });

  it('refuses inconsistent options', async () => {
    await expect(run({ epochs: 1 })).rejects.toMatchObject({ code: 'TRAINING_BAD_OPTION' });
    await expect(run({ batchSize: 0 })).rejects.toMatchObject({ code: 'TRAINING_BAD_OPTION' });
    await expect(run({ earlyStopping: { patience: 1, minDelta: 0 } }, false)).rejects.toMatchObject(
      {
        code: 'TRAINING_BAD_OPTION',
      },
    );
  });

  it('reports divergence instead of returning NaN weights', async () => {
    await expect(run({ learningRate: 1e30, clipNorm: undefined, steps: 20 })).rejects.toMatchObject(
      {
        code: 'TRAINING_DIVERGED',
      },
    );
  });
});
