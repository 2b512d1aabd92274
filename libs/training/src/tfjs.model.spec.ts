import { encodeModel, RecurrentModel, type ModelArchitecture } from '@rnnflow/cells';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTfjsModel, createTrainableModel, toRecurrentModel } from './tfjs.model.js';
import { initTrainingBackend } from './training.backend.js';

const STACK: ModelArchitecture = {
  inputSize: 3,
  layers: [
    {
      type: 'gru',
      units: 5,
      activation: 'tanh',
      recurrentActivation: 'hardSigmoid',
      resetAfter: false,
      useBias: true,
    },
    { type: 'simpleRnn', units: 4, activation: 'relu', useBias: false },
    { type: 'lstm', units: 3, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
  ],
  head: { units: 2, activation: 'sigmoid', useBias: true },
};

describe('buildTfjsModel', () => {
  beforeAll(async () => {
    await initTrainingBackend();
  });

  it('builds the architecture the cells importer reads back, with open LSTM forget gates', async () => {
    const network = buildTfjsModel(STACK, { seed: 4 });
    try {
      const model = await toRecurrentModel({ network, architecture: STACK, normalization: null });
      expect(model.architecture).toEqual(STACK);
      const bias = model.weights.find((w) => w.name === 'layers/2/bias')!.values;
      expect(Array.from(bias)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    } finally {
      network.dispose();
    }
  });

  it('gives the same weights for the same seed and different ones for another', () => {
    const weights = (seed: number) => {
      const network = buildTfjsModel(STACK, { seed });
      const values = network.getWeights().map((w) => Array.from(w.dataSync()));
      network.dispose();
      return values;
    };
    expect(weights(1)).toEqual(weights(1));
    expect(weights(1)).not.toEqual(weights(2));
  });

  it('refuses a GRU with resetAfter: true, which tfjs cannot train', () => {
    const architecture = {
      ...STACK,
      layers: [{ ...STACK.layers[0], resetAfter: true }],
    } as ModelArchitecture;
    const before = tf.memory().numTensors;
    expect(() => buildTfjsModel(architecture)).toThrow(
      expect.objectContaining({
        code: 'TRAINING_UNSUPPORTED_ARCHITECTURE',
        message: expect.stringMatching(/resetAfter/),
      }),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts a fine-tune from the served weights and normalization', async () => {
    const source = createTrainableModel({ architecture: STACK, seed: 9 });
    const normalization = { mean: Float32Array.of(1, 2, 3), std: Float32Array.of(1, 2, 4) };
    const served = await toRecurrentModel({ ...source, normalization });
    source.network.dispose();
    const tuned = createTrainableModel({ from: served });
    try {
      expect(tuned.normalization).toBe(served.normalization);
      const copied = await toRecurrentModel(tuned);
      copied.weights.forEach((w, i) => expect(w.values).toEqual(served.weights[i].values));
    } finally {
      tuned.network.dispose();
    }
    const fromBytes = createTrainableModel({ from: encodeModel(served) });
    try {
      expect(fromBytes.network.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
        served.weights.map((w) => Array.from(w.values)),
      );
      expect(fromBytes.normalization).toEqual(served.normalization);
    } finally {
      fromBytes.network.dispose();
    }
  });

  it('loads the weights of a model without biases', () => {
    const model = RecurrentModel.create({
      architecture: {
        inputSize: 1,
        layers: [{ type: 'simpleRnn', units: 1, activation: 'tanh', useBias: false }],
        head: null,
      },
      weights: [
        { name: 'layers/0/kernel', shape: [1, 1], values: Float32Array.of(0.5) },
        { name: 'layers/0/recurrent_kernel', shape: [1, 1], values: Float32Array.of(0.25) },
      ],
    });
    const tuned = createTrainableModel({ from: model });
    expect(tuned.network.getWeights().map((w) => w.dataSync()[0])).toEqual([0.5, 0.25]);
    tuned.network.dispose();
  });
});
