import { describe, expect, it } from 'vitest';
import type { CellActivation } from './architecture.js';
import { RecurrentModel } from './recurrent.model.js';
import {
  REFERENCE_ACTIVATIONS,
  referenceGruSequence,
  type ReferenceGruLayer,
} from './testing/keras-gru.reference.js';
import { seededRandom } from '@rnnflow/random';
import { maxAbsDifference, randomFloats, stepSequences } from './testing/tfjs.fixture.js';
import { importTfjsArtifacts } from './tfjs.import.js';
import type { WeightTensor } from './weights.js';

const KEYS = 16;
const STEPS = 50;
const INPUT_SIZE = 5;

interface LayerCase {
  readonly units: number;
  readonly activation: CellActivation;
  readonly recurrentActivation: CellActivation;
}

interface RandomGru {
  readonly weights: WeightTensor[];
  readonly reference: ReferenceGruLayer[];
}

function toRows(values: Float32Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from(values.subarray(r * cols, (r + 1) * cols)),
  );
}

function randomGru(layers: readonly LayerCase[], scale: number, seed: number): RandomGru {
  const random = seededRandom(seed);
  const weights: WeightTensor[] = [];
  const reference: ReferenceGruLayer[] = [];
  let inputs = INPUT_SIZE;
  layers.forEach((layer, n) => {
    const U = layer.units;
    const kernel = randomFloats(random, inputs * 3 * U, scale);
    const recurrentKernel = randomFloats(random, U * 3 * U, scale);
    const bias = randomFloats(random, 6 * U, scale);
    weights.push(
      { name: `layers/${n}/kernel`, shape: [inputs, 3 * U], values: kernel },
      { name: `layers/${n}/recurrent_kernel`, shape: [U, 3 * U], values: recurrentKernel },
      { name: `layers/${n}/bias`, shape: [2, 3 * U], values: bias },
    );
    reference.push({
      units: U,
      kernel: toRows(kernel, inputs, 3 * U),
      recurrentKernel: toRows(recurrentKernel, U, 3 * U),
      bias: toRows(bias, 2, 3 * U),
      activation: REFERENCE_ACTIVATIONS[layer.activation],
      recurrentActivation: REFERENCE_ACTIVATIONS[layer.recurrentActivation],
    });
    inputs = U;
  });
  return { weights, reference };
}

function referenceOutputs(reference: ReferenceGruLayer[], sequences: Float32Array): Float32Array {
  const out: number[] = [];
  for (let k = 0; k < KEYS; k++) {
    const sequence = Array.from({ length: STEPS }, (_, t) =>
      Array.from(
        sequences.subarray((k * STEPS + t) * INPUT_SIZE, (k * STEPS + t + 1) * INPUT_SIZE),
      ),
    );
    for (const h of referenceGruSequence(reference, sequence)) out.push(...h);
  }
  return Float32Array.from(out);
}

const CASES: { name: string; layers: LayerCase[]; scale: number }[] = [
  {
    name: '1 layer tanh/sigmoid (Keras defaults)',
    layers: [{ units: 7, activation: 'tanh', recurrentActivation: 'sigmoid' }],
    scale: 0.8,
  },
  {
    name: '2 layers tanh/hardSigmoid then relu/sigmoid',
    layers: [
      { units: 6, activation: 'tanh', recurrentActivation: 'hardSigmoid' },
      { units: 5, activation: 'relu', recurrentActivation: 'sigmoid' },
    ],
    scale: 0.4,
  },
  {
    name: '3 layers linear/sigmoid, sigmoid/tanh, tanh/sigmoid',
    layers: [
      { units: 4, activation: 'linear', recurrentActivation: 'sigmoid' },
      { units: 6, activation: 'sigmoid', recurrentActivation: 'tanh' },
      { units: 5, activation: 'tanh', recurrentActivation: 'sigmoid' },
    ],
    scale: 0.4,
  },
];

describe('GRU resetAfter: true matches a plain implementation of the Keras equations', () => {
  CASES.forEach((c, index) => {
    it(c.name, () => {
      const { weights, reference } = randomGru(c.layers, c.scale, 200 + index);
      const model = RecurrentModel.create({
        architecture: {
          inputSize: INPUT_SIZE,
          layers: c.layers.map((l) => ({ type: 'gru', ...l, resetAfter: true, useBias: true })),
          head: null,
        },
        weights,
      });
      const sequences = randomFloats(seededRandom(index), KEYS * STEPS * INPUT_SIZE, 1);
      const actual = stepSequences(model, sequences, { keys: KEYS, steps: STEPS });
      expect(maxAbsDifference(actual, referenceOutputs(reference, sequences))).toBeLessThan(1e-5);
    });
  });

  it('imports a Keras 3 Sequential model.json (snake_case, InputLayer, reset_after) and matches', () => {
    const layers = CASES[1].layers;
    const { weights, reference } = randomGru(layers, 0.4, 300);
    const kerasLayer = (l: LayerCase, n: number) => ({
      module: 'keras.layers',
      class_name: 'GRU',
      config: {
        name: `gru_${n}`,
        units: l.units,
        activation: l.activation === 'hardSigmoid' ? 'hard_sigmoid' : l.activation,
        recurrent_activation: l.recurrentActivation,
        use_bias: true,
        reset_after: true,
        return_sequences: true,
        go_backwards: false,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } },
      },
    });
    const topology = {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          layers: [
            {
              class_name: 'InputLayer',
              config: { batch_shape: [null, null, INPUT_SIZE], name: 'input' },
            },
            ...layers.map(kerasLayer),
            { class_name: 'Dropout', config: { name: 'dropout', rate: 0.2 } },
          ],
        },
      },
    };
    const data = new Float32Array(weights.reduce((n, w) => n + w.values.length, 0));
    let offset = 0;
    for (const w of weights) {
      data.set(w.values, offset);
      offset += w.values.length;
    }
    const model = importTfjsArtifacts({
      modelTopology: topology,
      weightSpecs: weights.map((w, i) => ({
        name: `sequential/gru_${Math.floor(i / 3)}/gru_cell/${w.name.split('/')[2]}`,
        shape: w.shape,
        dtype: 'float32',
      })),
      weightData: data.buffer,
    });
    expect(model.architecture.layers.map((l) => l.type === 'gru' && l.resetAfter)).toEqual([
      true,
      true,
    ]);
    const sequences = randomFloats(seededRandom(9), KEYS * STEPS * INPUT_SIZE, 1);
    const actual = stepSequences(model, sequences, { keys: KEYS, steps: STEPS });
    expect(maxAbsDifference(actual, referenceOutputs(reference, sequences))).toBeLessThan(1e-5);
  });
});
