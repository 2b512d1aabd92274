import type { ModelArchitecture } from '../architecture.js';
import { RecurrentModel, type ModelDefinition } from '../recurrent.model.js';
import { weightSlotsOf, type WeightTensor } from '../weights.js';
import { seededRandom } from '@rnnflow/random';
import { randomFloats } from './tfjs.fixture.js';

/** Two stacked layers of every kind with a softmax head: exercises every state vector kind. */
export const MIXED_ARCHITECTURE: ModelArchitecture = {
  inputSize: 4,
  layers: [
    { type: 'lstm', units: 6, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
    {
      type: 'gru',
      units: 5,
      activation: 'tanh',
      recurrentActivation: 'hardSigmoid',
      resetAfter: true,
      useBias: true,
    },
    { type: 'simpleRnn', units: 3, activation: 'relu', useBias: false },
  ],
  head: { units: 2, activation: 'softmax', useBias: true },
};

/** Random weights (seeded) for every slot of `architecture`. */
function randomWeights(architecture: ModelArchitecture, seed: number, scale = 0.5): WeightTensor[] {
  const random = seededRandom(seed);
  return weightSlotsOf(architecture).map((slot) => ({
    ...slot,
    values: randomFloats(
      random,
      slot.shape.reduce((a, b) => a * b, 1),
      scale,
    ),
  }));
}

/** A model with random weights, normalization, output names and metadata. */
export function randomDefinition(architecture = MIXED_ARCHITECTURE, seed = 1): ModelDefinition {
  const I = architecture.inputSize;
  return {
    architecture,
    weights: randomWeights(architecture, seed),
    normalization: {
      mean: Float32Array.from({ length: I }, (_, i) => i * 0.25),
      std: Float32Array.from({ length: I }, (_, i) => 1 + i),
    },
    outputNames: ['up', 'down'],
    metadata: { trainedOn: '2026-11-27', rows: 1234 },
  };
}

export function randomModel(architecture = MIXED_ARCHITECTURE, seed = 1): RecurrentModel {
  return RecurrentModel.create(randomDefinition(architecture, seed));
}
