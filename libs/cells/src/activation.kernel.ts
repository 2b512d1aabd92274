import type { CellActivation, HeadActivation } from './architecture.js';

/**
 * Applies `activation` in place to `values[start, end)`. The switch runs once per call, not
 * per element, so each loop stays monomorphic and tight. Definitions follow tfjs-layers:
 * sigmoid = 1 / (1 + e^-x), hardSigmoid = clip(0.2·x + 0.5, 0, 1).
 */
export function activateInPlace(
  values: Float32Array,
  start: number,
  end: number,
  activation: CellActivation,
): void {
  switch (activation) {
    case 'tanh':
      for (let i = start; i < end; i++) values[i] = Math.tanh(values[i]);
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) values[i] = 1 / (1 + Math.exp(-values[i]));
      return;
    case 'hardSigmoid':
      for (let i = start; i < end; i++) {
        const y = 0.2 * values[i] + 0.5;
        values[i] = y < 0 ? 0 : y > 1 ? 1 : y;
      }
      return;
    case 'relu':
      for (let i = start; i < end; i++) if (values[i] < 0) values[i] = 0;
      return;
    case 'linear':
      return;
  }
}

/** Like {@link activateInPlace}, plus softmax over `values[start, end)` (one key's outputs). */
export function activateHeadInPlace(
  values: Float32Array,
  start: number,
  end: number,
  activation: HeadActivation,
): void {
  if (activation !== 'softmax') {
    activateInPlace(values, start, end, activation);
    return;
  }
  let max = -Infinity;
  for (let i = start; i < end; i++) if (values[i] > max) max = values[i];
  let sum = 0;
  for (let i = start; i < end; i++) {
    const e = Math.exp(values[i] - max);
    values[i] = e;
    sum += e;
  }
  for (let i = start; i < end; i++) values[i] = values[i] / sum;
}
