/**
 * The same batch step as the rnnflow stepper, written with tfjs ops (Keras equations): from
 * Float32Array inputs and states to Float32Array states, so both sides pay the same I/O.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightTensor } from '../src/index.js';

export type TfjsCell = 'lstm' | 'gru';

export interface TfjsStep {
  step(): void;
  dispose(): void;
}

function weight(weights: readonly WeightTensor[], name: string): tf.Tensor {
  const w = weights.find((t) => t.name === name)!;
  return tf.tensor(w.values, [...w.shape]);
}

export function buildTfjsStep(
  cell: TfjsCell,
  units: number,
  weights: readonly WeightTensor[],
  inputs: Float32Array,
  states: Float32Array,
  batch: number,
): TfjsStep {
  const kernel = weight(weights, 'layers/0/kernel');
  const recurrent = weight(weights, 'layers/0/recurrent_kernel');
  const bias = weight(weights, 'layers/0/bias');
  const inputSize = kernel.shape[0];
  const stateWidth = cell === 'lstm' ? 2 * units : units;
  const lstmStep = (x: tf.Tensor2D, packed: tf.Tensor2D): tf.Tensor => {
    const [h, c] = tf.split(packed, 2, 1);
    const z = tf.add(
      tf.add(tf.matMul(x, kernel as tf.Tensor2D), tf.matMul(h, recurrent as tf.Tensor2D)),
      bias,
    );
    const [i, f, g, o] = tf.split(z, 4, 1);
    const nextC = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    const nextH = tf.mul(tf.sigmoid(o), tf.tanh(nextC));
    return tf.concat([nextH, nextC], 1);
  };
  const gruStep = (x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor => {
    const [rz, rh] = tf.split(recurrent, [2 * units, units], 1);
    const matrixX = tf.add(tf.matMul(x, kernel as tf.Tensor2D), bias);
    const [xz, xr, xh] = tf.split(matrixX, 3, 1);
    const [hz, hr] = tf.split(tf.matMul(h, rz as tf.Tensor2D), 2, 1);
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, h), rh as tf.Tensor2D)));
    return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
  };
  return {
    step() {
      const next = tf.tidy(() => {
        const x = tf.tensor2d(inputs, [batch, inputSize]);
        const s = tf.tensor2d(states.subarray(0, batch * stateWidth), [batch, stateWidth]);
        return (cell === 'lstm' ? lstmStep(x, s) : gruStep(x, s)).dataSync();
      });
      states.set(next);
    },
    dispose() {
      tf.dispose([kernel, recurrent, bias]);
    },
  };
}
