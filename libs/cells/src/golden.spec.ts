import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@rnnflow/random';
import {
  buildTfjsModel,
  maxAbsDifference,
  predictSequences,
  randomFloats,
  saveToMemory,
  stepSequences,
  type RecurrentLayerOptions,
  type TfjsModelOptions,
} from './testing/tfjs.fixture.js';
import { importTfjsArtifacts } from './tfjs.import.js';

const KEYS = 16;
const STEPS = 50;
const INPUT_SIZE = 5;
const TOLERANCE = 1e-5;

interface GoldenCase {
  readonly name: string;
  readonly model: Omit<TfjsModelOptions, 'seed' | 'inputSize'>;
}

function stack(count: number, layer: Omit<RecurrentLayerOptions, 'units'>, units = [7, 6, 5]) {
  return Array.from({ length: count }, (_, n) => ({ ...layer, units: units[n] }));
}

const lstm = (activation: string, recurrentActivation: string) =>
  ({ cell: 'lstm', activation, recurrentActivation }) as const;
const gru = (activation: string, recurrentActivation: string) =>
  ({ cell: 'gru', activation, recurrentActivation }) as const;
const rnn = (activation: string) => ({ cell: 'simpleRnn', activation }) as const;

// Bounded activations take larger weights; unbounded ones small weights so 50 steps stay O(1).
const CASES: GoldenCase[] = [
  {
    name: 'LSTM tanh/hardSigmoid (tfjs defaults), 1 layer',
    model: { layers: stack(1, lstm('tanh', 'hardSigmoid')), weightScale: 0.8 },
  },
  {
    name: 'LSTM tanh/sigmoid (Keras defaults), 2 layers, sigmoid head',
    model: {
      layers: stack(2, lstm('tanh', 'sigmoid')),
      head: { units: 3, activation: 'sigmoid' },
      weightScale: 0.8,
    },
  },
  {
    name: 'LSTM relu/sigmoid, 3 layers, softmax head',
    model: {
      layers: stack(3, lstm('relu', 'sigmoid')),
      head: { units: 4, activation: 'softmax' },
      weightScale: 0.3,
    },
  },
  {
    name: 'LSTM linear/hardSigmoid, tanh head, no bias',
    model: {
      layers: stack(1, { ...lstm('linear', 'hardSigmoid'), useBias: false }),
      head: { units: 2, activation: 'tanh' },
      weightScale: 0.3,
    },
  },
  {
    name: 'LSTM sigmoid/tanh, 2 layers, dropout, TimeDistributed relu head',
    model: {
      layers: stack(2, lstm('sigmoid', 'tanh')),
      dropout: true,
      head: { units: 3, activation: 'relu', wrapped: true },
      weightScale: 0.6,
    },
  },
  {
    name: 'LSTM tanh/sigmoid, units 8 then 16 (whole SIMD vectors), sigmoid head',
    model: {
      layers: stack(2, lstm('tanh', 'sigmoid'), [8, 16]),
      head: { units: 3, activation: 'sigmoid' },
      weightScale: 0.5,
    },
  },
  {
    name: 'GRU tanh/sigmoid, units 16 then 8 (whole SIMD vectors)',
    model: { layers: stack(2, gru('tanh', 'sigmoid'), [16, 8]), weightScale: 0.5 },
  },
  {
    name: 'LSTM hardSigmoid/relu and linear/linear, 2 layers',
    model: {
      layers: [
        { ...lstm('hardSigmoid', 'relu'), units: 6 },
        { ...lstm('linear', 'linear'), units: 4 },
      ],
      weightScale: 0.3,
    },
  },
  {
    name: 'GRU hardSigmoid/linear then sigmoid/relu, 2 layers',
    model: {
      layers: [
        { ...gru('hardSigmoid', 'linear'), units: 6 },
        { ...gru('sigmoid', 'relu'), units: 5 },
      ],
      weightScale: 0.3,
    },
  },
  {
    name: 'GRU tanh/hardSigmoid, 1 layer, linear head',
    model: {
      layers: stack(1, gru('tanh', 'hardSigmoid')),
      head: { units: 2, activation: 'linear' },
      weightScale: 0.8,
    },
  },
  {
    name: 'GRU tanh/sigmoid, 2 layers, softmax head',
    model: {
      layers: stack(2, gru('tanh', 'sigmoid')),
      head: { units: 3, activation: 'softmax' },
      weightScale: 0.8,
    },
  },
  {
    name: 'GRU relu/hardSigmoid, 3 layers',
    model: { layers: stack(3, gru('relu', 'hardSigmoid')), weightScale: 0.3 },
  },
  {
    name: 'GRU linear/sigmoid, no bias, sigmoid head',
    model: {
      layers: stack(1, { ...gru('linear', 'sigmoid'), useBias: false }),
      head: { units: 2, activation: 'sigmoid' },
      weightScale: 0.3,
    },
  },
  { name: 'SimpleRNN tanh, 1 layer', model: { layers: stack(1, rnn('tanh')), weightScale: 0.8 } },
  {
    name: 'SimpleRNN relu, 2 layers, tanh head',
    model: {
      layers: stack(2, rnn('relu')),
      head: { units: 2, activation: 'tanh' },
      weightScale: 0.3,
    },
  },
  {
    name: 'SimpleRNN sigmoid, 3 layers, relu head',
    model: {
      layers: stack(3, rnn('sigmoid')),
      head: { units: 3, activation: 'relu' },
      weightScale: 0.8,
    },
  },
  {
    name: 'SimpleRNN linear then hardSigmoid, TimeDistributed softmax head',
    model: {
      layers: [
        { ...rnn('linear'), units: 6 },
        { ...rnn('hardSigmoid'), units: 4 },
      ],
      head: { units: 3, activation: 'softmax', wrapped: true },
      weightScale: 0.3,
    },
  },
];

describe('step-by-step outputs equal tfjs predict on whole sequences', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  CASES.forEach((golden, index) => {
    it(golden.name, async () => {
      const reference = buildTfjsModel({
        ...golden.model,
        inputSize: INPUT_SIZE,
        seed: 100 + index,
      });
      const model = importTfjsArtifacts(await saveToMemory(reference));
      const sequences = randomFloats(seededRandom(index), KEYS * STEPS * INPUT_SIZE, 1);
      const shape = { keys: KEYS, steps: STEPS, inputSize: INPUT_SIZE };
      const expected = predictSequences(reference, sequences, shape);
      const actual = stepSequences(model, sequences, shape);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
      reference.dispose();
    });
  });
});
