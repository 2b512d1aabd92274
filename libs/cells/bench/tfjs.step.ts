/**
 * The same batch step as the rnnflow stepper, written with tfjs ops as tfjs-layers computes it
 * (two matmuls, bias, gate split, activations), with the state as separate h and c tensors so
 * tfjs pays no split/concat for it. `step` goes from Float32Arrays to Float32Arrays like the
 * rnnflow stepper; `stepResident` keeps everything in the backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightTensor } from '../src/index.js';

export type TfjsCell = 'lstm' | 'gru';

export interface TfjsStep {
  /** One step from the Float32Arrays to the Float32Arrays (upload, compute, download). */
  step(): void;
  /**
   * One step on tensors kept in the backend between calls: no upload or download, the lower
   * bound of tfjs's cost (the wasm backend computes synchronously, so the timing is real).
   */
  stepResident(): void;
  dispose(): void;
}

function weight(weights: readonly WeightTensor[], name: string): tf.Tensor2D {
  const w = weights.find((t) => t.name === name)!;
  const [rows, cols] = w.shape.length === 1 ? [1, w.shape[0]] : w.shape;
  return tf.tensor2d(w.values, [rows, cols]);
}

/** Builds the step for a batch of `batch` keys with random inputs and zero states. */
export function buildTfjsStep(
  cell: TfjsCell,
  units: number,
  weights: readonly WeightTensor[],
  batch: number,
): TfjsStep {
  const kernel = weight(weights, 'layers/0/kernel');
  const recurrent = weight(weights, 'layers/0/recurrent_kernel');
  const bias = weight(weights, 'layers/0/bias');
  const inputSize = kernel.shape[0];
  const inputs = Float32Array.from({ length: batch * inputSize }, () => Math.random());
  const stateArrays = (cell === 'lstm' ? [0, 1] : [0]).map(() => new Float32Array(batch * units));
  // Split once: only the per-step work is timed.
  const [rz, rh] = cell === 'gru' ? tf.split(recurrent, [2 * units, units], 1) : [];

  const lstmStep = (x: tf.Tensor2D, [h, c]: tf.Tensor2D[]): tf.Tensor2D[] => {
    const z = tf.add(tf.add(tf.matMul(x, kernel), tf.matMul(h, recurrent)), bias);
    const [i, f, g, o] = tf.split(z, 4, 1);
    const nextC: tf.Tensor2D = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    return [tf.mul(tf.sigmoid(o), tf.tanh(nextC)) as tf.Tensor2D, nextC];
  };
  const gruStep = (x: tf.Tensor2D, [h]: tf.Tensor2D[]): tf.Tensor2D[] => {
    const matrixX = tf.add(tf.matMul(x, kernel), bias);
    const [xz, xr, xh] = tf.split(matrixX, 3, 1);
    const [hz, hr] = tf.split(tf.matMul(h, rz as tf.Tensor2D), 2, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), rh as tf.Tensor2D)));
    return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D];
  };
  const advance = cell === 'lstm' ? lstmStep : gruStep;
  const upload = () => stateArrays.map((a) => tf.tensor2d(a, [batch, units]));

  let residentInputs: tf.Tensor2D | null = null;
  let residentStates: tf.Tensor2D[] | null = null;
  return {
    step() {
      // tidy returns tensors, not their data: tidy would walk a returned array element by element.
      const next = tf.tidy(() => advance(tf.tensor2d(inputs, [batch, inputSize]), upload()));
      next.forEach((t, n) => stateArrays[n].set(t.dataSync()));
      tf.dispose(next);
    },
    stepResident() {
      residentInputs ??= tf.tensor2d(inputs, [batch, inputSize]);
      const previous = residentStates ?? upload();
      residentStates = tf.tidy(() => advance(residentInputs!, previous));
      tf.dispose(previous);
    },
    dispose() {
      tf.dispose([kernel, recurrent, bias, ...(cell === 'gru' ? [rz, rh] : [])]);
      tf.dispose([...(residentInputs ? [residentInputs] : []), ...(residentStates ?? [])]);
    },
  };
}
