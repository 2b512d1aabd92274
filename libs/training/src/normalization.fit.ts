import type { InputNormalization } from '@rnnflow/cells';
import { TrainingError } from './training.errors.js';
import type { WindowSet } from './window.set.js';

/** Features whose spread is below this are constant: std 1 keeps them finite. */
const MIN_STD = 1e-6;

/**
 * Per-feature mean and standard deviation over the labeled steps of `set` (padding and unlabeled
 * newest events are not counted), for training from scratch. A fine-tune keeps its champion's
 * normalization instead, so the weights keep their meaning.
 * @throws TrainingError `TRAINING_NO_DATA` when no step is labeled.
 */
export function fitNormalization(set: WindowSet): InputNormalization {
  const I = set.inputSize;
  const sum = new Float64Array(I);
  const sumSquares = new Float64Array(I);
  let steps = 0;
  for (let s = 0; s < set.mask.length; s++) {
    if (set.mask[s] === 0) continue;
    steps++;
    for (let i = 0; i < I; i++) {
      const x = set.inputs[s * I + i];
      sum[i] += x;
      sumSquares[i] += x * x;
    }
  }
  if (steps === 0)
    throw new TrainingError('TRAINING_NO_DATA', 'no labeled step to fit a normalization on');
  const mean = Float32Array.from(sum, (total) => total / steps);
  const std = Float32Array.from(sumSquares, (squares, i) => {
    const variance = Math.max(0, squares / steps - mean[i] * mean[i]);
    const deviation = Math.sqrt(variance);
    return deviation < MIN_STD ? 1 : deviation;
  });
  return { mean, std };
}

/** `set`'s inputs with the normalization applied (a copy), as the network sees them. */
export function normalizedInputs(
  set: WindowSet,
  normalization: InputNormalization | null,
): Float32Array {
  if (!normalization) return set.inputs;
  const I = set.inputSize;
  const { mean, std } = normalization;
  // Same float32 arithmetic order as the stepper: (x − mean) / std.
  return set.inputs.map((x, k) => Math.fround(Math.fround(x - mean[k % I]) / std[k % I]));
}
