import { RecurrentModel, type WeightTensor } from '@rnnflow/cells';
import { SeededRandom } from '@rnnflow/random';
import type { OutgoingMessage } from '@rnnflow/stream';

/** One output per event (a forecast of feature 0, which the predictor scores online by default). */
const OUTPUTS = 1;

/** Uniform floats in [-1, 1) from `seed`: the same run produces the same weights and events. */
export function signedUniforms(seed: number): () => number {
  const random = SeededRandom.forStream(seed, 0);
  return () => random.between(-1, 1);
}

/**
 * An LSTM of `units` units over `features` inputs with a Dense head of {@link OUTPUTS}, random
 * weights scaled to keep activations out of saturation (the cost of a step does not depend on
 * the values, but saturated gates would make outputs trivially constant).
 */
export function benchModel(features: number, units: number, seed = 7): RecurrentModel {
  const random = signedUniforms(seed);
  const tensor = (name: string, shape: number[]): WeightTensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    const scale = 1 / Math.sqrt(shape[0]);
    return { name, shape, values: Float32Array.from({ length: size }, () => random() * scale) };
  };
  return RecurrentModel.create({
    architecture: {
      inputSize: features,
      layers: [
        {
          type: 'lstm',
          units,
          activation: 'tanh',
          recurrentActivation: 'sigmoid',
          useBias: true,
        },
      ],
      head: { units: OUTPUTS, activation: 'linear', useBias: true },
    },
    weights: [
      tensor('layers/0/kernel', [features, 4 * units]),
      tensor('layers/0/recurrent_kernel', [units, 4 * units]),
      tensor('layers/0/bias', [4 * units]),
      tensor('head/kernel', [units, OUTPUTS]),
      tensor('head/bias', [OUTPUTS]),
    ],
  });
}

/** Entity key of key number `index`, e.g. `entity-000042`. */
export function keyName(index: number): string {
  return `entity-${String(index).padStart(6, '0')}`;
}

/**
 * `events` input records in the predictor's contract (`{"features": number[I]}`), cycling
 * through `keys` keys so every key gets events/keys events spread over the whole run. Values
 * are built once and shared by every topic a run fills.
 */
export function inputEvents(keys: number, events: number, features: number): OutgoingMessage[] {
  const random = signedUniforms(11);
  const names = Array.from({ length: keys }, (_, index) => keyName(index));
  return Array.from({ length: events }, (_, index) => ({
    key: names[index % keys],
    value: Buffer.from(eventValue(random, features)),
  }));
}

/** One event's JSON value with `features` random values of 4 decimals. */
export function eventValue(random: () => number, features: number): string {
  const values = Array.from({ length: features }, () => Math.round(random() * 1e4) / 1e4);
  return JSON.stringify({ features: values });
}
