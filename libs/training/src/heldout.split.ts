import { seededRandom, shuffleInPlace } from '@rnnflow/random';
import { requireNumber, TrainingError } from './training.errors.js';
import { selectWindows, type WindowSet } from './window.set.js';

/**
 * How to hold data out for validation and the champion/challenger comparison:
 * - `time`: the newest `fraction` of each key's windows (keys with a single window train only);
 *   training windows overlapping a held-out one are dropped, so no step is in both.
 * - `keys`: a seeded random `fraction` of the keys, all their windows (tests generalization to
 *   keys the model never saw).
 */
export interface HeldOutOptions {
  readonly by: 'time' | 'keys';
  /** Share held out, in (0, 1). */
  readonly fraction: number;
  /** Seed of the key draw (`keys` only); same seed and keys, same split. */
  readonly seed?: number;
}

/** Two disjoint window sets. */
export interface HeldOutSplit {
  readonly train: WindowSet;
  readonly heldOut: WindowSet;
}

function windowsByKey(set: WindowSet): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  set.keys.forEach((key, n) => {
    const list = byKey.get(key);
    if (list) list.push(n);
    else byKey.set(key, [n]);
  });
  return byKey;
}

function splitByTime(set: WindowSet, fraction: number): [number[], number[]] {
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const windows of windowsByKey(set).values()) {
    windows.sort((a, b) => set.starts[a] - set.starts[b]);
    const held = windows.length < 2 ? 0 : Math.max(1, Math.round(windows.length * fraction));
    const newest = windows.slice(windows.length - held);
    const firstHeldStart = newest.length > 0 ? set.starts[newest[0]] : Infinity;
    heldOut.push(...newest);
    train.push(
      ...windows
        .slice(0, windows.length - held)
        .filter((n) => set.starts[n] + set.length <= firstHeldStart),
    );
  }
  return [train.sort((a, b) => a - b), heldOut.sort((a, b) => a - b)];
}

function splitByKeys(set: WindowSet, fraction: number, seed: number): [number[], number[]] {
  const keys = [...new Set(set.keys)].sort();
  const held = keys.length < 2 ? 0 : Math.max(1, Math.round(keys.length * fraction));
  const heldKeys = new Set(shuffleInPlace(keys, seededRandom(seed)).slice(0, held));
  const train: number[] = [];
  const heldOut: number[] = [];
  set.keys.forEach((key, n) => (heldKeys.has(key) ? heldOut : train).push(n));
  return [train, heldOut];
}

/**
 * Splits windows into training and held-out sets, deterministically.
 * @throws TrainingError `TRAINING_BAD_OPTION` for a fraction outside (0, 1) or an unknown mode.
 */
export function splitHeldOut(set: WindowSet, options: HeldOutOptions): HeldOutSplit {
  requireNumber('fraction', options.fraction, Number.MIN_VALUE, 1 - Number.EPSILON);
  let indices: [number[], number[]];
  if (options.by === 'time') indices = splitByTime(set, options.fraction);
  else if (options.by === 'keys') indices = splitByKeys(set, options.fraction, options.seed ?? 0);
  else
    throw new TrainingError(
      'TRAINING_BAD_OPTION',
      `held-out mode ${String(options.by)} is not time or keys`,
    );
  return { train: selectWindows(set, indices[0]), heldOut: selectWindows(set, indices[1]) };
}
