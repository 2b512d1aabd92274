import { seededRandom } from '@rnnflow/random';
import { requireInteger } from '../training.errors.js';
import { allocateWindows, type WindowSet } from '../window.set.js';

/** Features per step of the adding problem: the value, then the marker. */
export const ADDING_INPUT_SIZE = 2;

/** What a constant prediction of 1 (the mean target) scores: the variance of a sum of two U(0,1). */
export const ADDING_BASELINE_MSE = 1 / 6;

export interface AddingDataOptions {
  /** Sequences to generate. */
  readonly count: number;
  /** T, steps per sequence (≥ 2). */
  readonly seqLen: number;
  readonly seed: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997): at each step a value uniform in [0, 1) and
 * a marker; exactly two steps are marked, one in each half of the sequence; the target, given
 * at the last step only (the others are masked out), is the sum of the two marked values.
 * Solving it means carrying a value across up to T steps. Same seed, same sequences.
 */
export function generateAddingProblem(options: AddingDataOptions): WindowSet {
  requireInteger('count', options.count, 1);
  requireInteger('seqLen', options.seqLen, 2);
  const { count, seqLen: T } = options;
  const random = seededRandom(options.seed);
  const set = allocateWindows({ count, length: T, inputSize: ADDING_INPUT_SIZE, outputSize: 1 });
  const keys = set.keys as string[];
  const half = Math.floor(T / 2);
  for (let n = 0; n < count; n++) {
    const first = Math.floor(random() * half);
    const second = half + Math.floor(random() * (T - half));
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const value = random();
      const marked = t === first || t === second;
      set.inputs[(n * T + t) * 2] = value;
      set.inputs[(n * T + t) * 2 + 1] = marked ? 1 : 0;
      // Sum the float32 values the model sees, so the target is exact for them.
      if (marked) sum += Math.fround(value);
    }
    set.labels[n * T + T - 1] = sum;
    set.mask[n * T + T - 1] = 1;
    keys[n] = `sequence-${n}`;
  }
  return set;
}
