import { TrainingError } from './training.errors.js';

/**
 * Training windows of T steps, packed for tfjs: window n, step t, feature i is at
 * `inputs[(n·T + t)·I + i]`. A step whose `mask` is 0 has no label (padding, or the newest event
 * of a forecast) and does not count in the loss; its `labels` are 0.
 */
export interface WindowSet {
  /** N, number of windows. */
  readonly count: number;
  /** T, steps per window (the truncated-BPTT length). */
  readonly length: number;
  /** I, features per step. */
  readonly inputSize: number;
  /** O, label values per step. */
  readonly outputSize: number;
  /** `N × T × I` floats. */
  readonly inputs: Float32Array;
  /** `N × T × O` floats. */
  readonly labels: Float32Array;
  /** `N × T` floats, 1 for a labeled step, 0 otherwise. */
  readonly mask: Float32Array;
  /** The key each window comes from. */
  readonly keys: readonly string[];
  /** Index, in its key's event history, of each window's first event. */
  readonly starts: Int32Array;
}

/** Shape of a window set, without data. */
export type WindowShape = Pick<WindowSet, 'count' | 'length' | 'inputSize' | 'outputSize'>;

/** A zero-filled window set (every step unlabeled) to fill in. */
export function allocateWindows(shape: WindowShape): WindowSet {
  const { count, length, inputSize, outputSize } = shape;
  return {
    ...shape,
    inputs: new Float32Array(count * length * inputSize),
    labels: new Float32Array(count * length * outputSize),
    mask: new Float32Array(count * length),
    keys: new Array<string>(count).fill(''),
    starts: new Int32Array(count),
  };
}

/** The windows at `indices`, in that order, copied into a new set. */
export function selectWindows(set: WindowSet, indices: readonly number[]): WindowSet {
  const { length: T, inputSize: I, outputSize: O } = set;
  const picked = allocateWindows({ ...set, count: indices.length });
  const keys = picked.keys as string[];
  indices.forEach((from, to) => {
    if (!Number.isInteger(from) || from < 0 || from >= set.count) {
      throw new TrainingError(
        'TRAINING_BAD_OPTION',
        `window index ${from} is outside 0..${set.count - 1}`,
      );
    }
    picked.inputs.set(set.inputs.subarray(from * T * I, (from + 1) * T * I), to * T * I);
    picked.labels.set(set.labels.subarray(from * T * O, (from + 1) * T * O), to * T * O);
    picked.mask.set(set.mask.subarray(from * T, (from + 1) * T), to * T);
    keys[to] = set.keys[from];
    picked.starts[to] = set.starts[from];
  });
  return picked;
}

/** Number of labeled steps (mask 1) over all windows. */
export function labeledStepCount(set: WindowSet): number {
  let count = 0;
  for (let k = 0; k < set.mask.length; k++) count += set.mask[k];
  return count;
}
