import * as tf from '@tensorflow/tfjs';
import type { WindowSet } from './window.set.js';

/** A window set as the network sees it: normalized inputs, labels and mask. */
export interface PreparedWindows {
  readonly set: WindowSet;
  /** `N × T × I` normalized inputs. */
  readonly inputs: Float32Array;
}

/** Tensors of one batch: x `[B, T, I]`, y `[B, T, O]`, mask `[B, T, 1]`, labeled value count. */
export interface BatchTensors {
  readonly x: tf.Tensor3D;
  readonly y: tf.Tensor3D;
  readonly mask: tf.Tensor3D;
  /** Number of labeled values (labeled steps × O): the loss denominator. */
  readonly labeledValues: number;
}

function gather(source: Float32Array, rows: readonly number[], rowSize: number): Float32Array {
  const out = new Float32Array(rows.length * rowSize);
  rows.forEach((row, b) =>
    out.set(source.subarray(row * rowSize, (row + 1) * rowSize), b * rowSize),
  );
  return out;
}

/** Builds the tensors of the windows `rows` (callers dispose them, or run inside `tf.tidy`). */
export function batchTensors(data: PreparedWindows, rows: readonly number[]): BatchTensors {
  const { length: T, inputSize: I, outputSize: O } = data.set;
  const B = rows.length;
  const mask = gather(data.set.mask, rows, T);
  let labeledSteps = 0;
  for (let k = 0; k < mask.length; k++) labeledSteps += mask[k];
  return {
    x: tf.tensor3d(gather(data.inputs, rows, T * I), [B, T, I]),
    y: tf.tensor3d(gather(data.set.labels, rows, T * O), [B, T, O]),
    mask: tf.tensor3d(mask, [B, T, 1]),
    labeledValues: labeledSteps * O,
  };
}

/**
 * Sum of squared errors over labeled steps (mask broadcast over the O outputs), a scalar.
 * Divided by the labeled value count it is the MSE; padding and unlabeled steps add nothing,
 * so a many-to-one task is the same loss with a single labeled step per window.
 */
export function maskedSquaredError(predicted: tf.Tensor, batch: BatchTensors): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.squaredDifference(predicted, batch.y), batch.mask)));
}

/** `[0, 1, …, count − 1]` cut into consecutive batches of at most `size`. */
export function sequentialBatches(count: number, size: number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < count; start += size) {
    batches.push(Array.from({ length: Math.min(size, count - start) }, (_, k) => start + k));
  }
  return batches;
}
