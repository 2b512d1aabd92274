/**
 * Test helpers that build reference models with tfjs (a devDependency: never imported by the
 * library's runtime code).
 */
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '@rnnflow/random';
import type { RecurrentModel } from '../recurrent.model.js';
import type { TfjsModelArtifacts } from '../tfjs.format.js';

/** `count` floats uniform in [-scale, scale). */
export function randomFloats(random: () => number, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

export interface RecurrentLayerOptions {
  readonly cell: 'lstm' | 'gru' | 'simpleRnn';
  readonly units: number;
  readonly activation: string;
  readonly recurrentActivation?: string;
  readonly useBias?: boolean;
}

export interface TfjsModelOptions {
  readonly inputSize: number;
  readonly layers: readonly RecurrentLayerOptions[];
  readonly head?: {
    readonly units: number;
    readonly activation: string;
    readonly wrapped?: boolean;
  };
  readonly dropout?: boolean;
  readonly weightScale: number;
  readonly seed: number;
}

function recurrentLayer(options: RecurrentLayerOptions, inputShape?: number[]): tf.layers.Layer {
  const args = {
    units: options.units,
    returnSequences: true,
    activation: options.activation,
    useBias: options.useBias ?? true,
    ...(inputShape ? { inputShape } : {}),
  } as Parameters<typeof tf.layers.simpleRNN>[0];
  if (options.cell === 'simpleRnn') return tf.layers.simpleRNN(args);
  const gated = { ...args, recurrentActivation: options.recurrentActivation } as Parameters<
    typeof tf.layers.lstm
  >[0];
  return options.cell === 'lstm' ? tf.layers.lstm(gated) : tf.layers.gru(gated);
}

/** A tfjs Sequential model returning sequences, with all weights random (seeded). */
export function buildTfjsModel(options: TfjsModelOptions): tf.Sequential {
  const model = tf.sequential();
  options.layers.forEach((layer, n) => {
    model.add(
      recurrentLayer(layer, n === 0 ? [null as unknown as number, options.inputSize] : undefined),
    );
    if (options.dropout) model.add(tf.layers.dropout({ rate: 0.5 }));
  });
  if (options.head) {
    const dense = tf.layers.dense({
      units: options.head.units,
      activation: options.head.activation as 'linear',
    });
    model.add(options.head.wrapped ? tf.layers.timeDistributed({ layer: dense }) : dense);
  }
  const random = seededRandom(options.seed);
  model.setWeights(
    model
      .getWeights()
      .map((w) => tf.tensor(randomFloats(random, w.size, options.weightScale), w.shape)),
  );
  return model;
}

/** The model as in-memory artifacts, exactly as `model.save` hands them to a save handler. */
export async function saveToMemory(model: tf.LayersModel): Promise<TfjsModelArtifacts> {
  let saved: TfjsModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts as TfjsModelArtifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

/** tfjs `predict` on `[keys × steps × I]` sequences, flattened `[keys × steps × O]`. */
export function predictSequences(
  model: tf.LayersModel,
  sequences: Float32Array,
  shape: { keys: number; steps: number; inputSize: number },
): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(sequences, [shape.keys, shape.steps, shape.inputSize]);
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

/**
 * Steps all keys together through every time step with the rnnflow model, collecting outputs
 * in `[keys × steps × O]` order, the layout of {@link predictSequences}.
 */
export function stepSequences(
  model: RecurrentModel,
  sequences: Float32Array,
  shape: { keys: number; steps: number },
): Float32Array {
  const { keys, steps } = shape;
  const I = model.inputSize;
  const O = model.outputSize;
  const stepper = model.createStepper(keys);
  const states = model.createStates(keys);
  const inputs = new Float32Array(keys * I);
  const outputs = new Float32Array(keys * O);
  const all = new Float32Array(keys * steps * O);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < keys; k++) {
      inputs.set(sequences.subarray((k * steps + t) * I, (k * steps + t + 1) * I), k * I);
    }
    stepper.step(inputs, states, keys, outputs);
    for (let k = 0; k < keys; k++)
      all.set(outputs.subarray(k * O, (k + 1) * O), (k * steps + t) * O);
  }
  return all;
}

/** Largest |a − b| over two equally long arrays. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
