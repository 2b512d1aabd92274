import type { GemvArena } from './gemv.arena.js';

/**
 * Weights of one recurrent layer in tfjs-layers/Keras layout, row-major: `kernel [I × G·U]`,
 * `recurrentKernel [U × G·U]`, `bias` (`[G·U]`, or `[2 × 3U]` for GRU resetAfter) or null
 * without bias, where G is the number of gates (LSTM 4, GRU 3, SimpleRNN 1).
 */
export interface LayerWeights {
  readonly kernel: Float32Array;
  readonly recurrentKernel: Float32Array;
  readonly bias: Float32Array | null;
}

/**
 * One-step computation of a layer, bound to a stepper's arena (its weights, workspaces and the
 * batch being stepped live there). Not shareable between steppers.
 */
export interface StepKernel {
  /**
   * Advances `n` keys (1 or 2) by one step, all in the arena memory: key m reads its input at
   * `heap[i + m·is …]` and its state at `heap[s + m·ss …]`, which is updated in place; the new
   * h is at the start of the layer's state, where the next layer reads it. Two keys share each
   * weight load; the result of a key is bit-identical whether it is stepped alone or in a pair.
   */
  step(n: number, i: number, is: number, s: number, ss: number): void;
}

/** A recurrent layer ready to step: weights packed once, kernels created per stepper. */
export interface RecurrentCell {
  createKernel(arena: GemvArena): StepKernel;
}

/** Keys stepped together by a kernel. */
export const PAIR = 2;

/** Below this many floats a loop beats a native copy call. */
const NATIVE_COPY_MIN = 16;

/**
 * Copies `length` floats from `from[f…]` to `to[t…]`: natively (copyWithin, no allocation)
 * within one array when long enough, else by a loop (subarray+set would allocate a view).
 */
export function copyFloats(
  from: Float32Array,
  f: number,
  to: Float32Array,
  t: number,
  length: number,
): void {
  if (from === to && length >= NATIVE_COPY_MIN) {
    to.copyWithin(t, f, f + length);
    return;
  }
  for (let k = 0; k < length; k++) to[t + k] = from[f + k];
}

/** The bias, or zeros when the layer has none, so kernels never branch on it. */
export function biasOrZeros(bias: Float32Array | null, length: number): Float32Array {
  return bias ?? new Float32Array(length);
}
