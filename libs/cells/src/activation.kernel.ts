import type { CellActivation, HeadActivation } from './architecture.js';

// Scalar activations for the Dense head's few outputs per key; the recurrent cells use the
// SIMD versions in activation.wasm.ts (same definitions).

/** Beyond ±TANH_CLAMP, tanh is within 3e-7 of ±1. */
const TANH_CLAMP = 7.90531110763549805;

/**
 * tanh as a [13/6] rational function on the clamped input (the minimax form used by Eigen for
 * float tanh): absolute error < 3e-7, well under float32 model tolerance, and about 4× faster
 * than Math.tanh or Math.exp in V8 because it stays inline in the compiled loop.
 */
function fastTanh(x: number): number {
  const c = x < -TANH_CLAMP ? -TANH_CLAMP : x > TANH_CLAMP ? TANH_CLAMP : x;
  const c2 = c * c;
  let p = c2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = c2 * p + -8.60467152213735e-11;
  p = c2 * p + 5.12229709037114e-8;
  p = c2 * p + 1.48572235717979e-5;
  p = c2 * p + 6.37261928875436e-4;
  p = c2 * p + 4.89352455891786e-3;
  let q = c2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = c2 * q + 2.268434632439e-3;
  q = c2 * q + 4.89352518554385e-3;
  return (c * p) / q;
}

/**
 * Applies `activation` in place to `values[start, end)`. The switch runs once per call, not
 * per element, so each loop stays monomorphic and tight. Definitions follow tfjs-layers:
 * sigmoid = 1 / (1 + e^-x) (computed as (1 + tanh(x/2)) / 2, absolute error < 2e-7),
 * hardSigmoid = clip(0.2·x + 0.5, 0, 1).
 */
export function activateInPlace(
  values: Float32Array,
  start: number,
  end: number,
  activation: CellActivation,
): void {
  switch (activation) {
    case 'tanh':
      for (let i = start; i < end; i++) values[i] = fastTanh(values[i]);
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) values[i] = 0.5 + 0.5 * fastTanh(0.5 * values[i]);
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
