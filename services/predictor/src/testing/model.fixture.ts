import { RecurrentModel, type ModelArchitecture } from '@rnnflow/cells';
import { seededRandom } from '@rnnflow/random';

/** A small LSTM (3 features, 4 units) with a Dense head of 2 outputs and seeded random weights, for unit tests. */
const I = 3;
const U = 4;
const O = 2;
const architecture: ModelArchitecture = {
  inputSize: I,
  layers: [
    { type: 'lstm', units: U, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
  ],
  head: { units: O, activation: 'linear', useBias: true },
};

export function randomModel(seed: number): RecurrentModel {
  const random = seededRandom(seed);
  const tensor = (name: string, shape: number[]) => ({
    name,
    shape,
    values: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random() - 0.5),
  });
  return RecurrentModel.create({
    architecture,
    weights: [
      tensor('layers/0/kernel', [I, 4 * U]),
      tensor('layers/0/recurrent_kernel', [U, 4 * U]),
      tensor('layers/0/bias', [4 * U]),
      tensor('head/kernel', [U, O]),
      tensor('head/bias', [O]),
    ],
  });
}
